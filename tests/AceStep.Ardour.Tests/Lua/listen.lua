-- arg: <common.lua> <session dir> <name> <rate> [Label=value ...]
-- Loads the session, sets parameters (e.g. Listen=0 for the original: A/B), lets them reach the processor and saves.
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])

start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local proc = find_plugin(session, "Track")
settle()
set_parameters(proc, rest(5))
settle()
report_parameters(proc, "set")
save(session)
close_session()
report("done", "listen")
