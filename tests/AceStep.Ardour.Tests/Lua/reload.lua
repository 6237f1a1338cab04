-- arg: <common.lua> <session dir> <name> <rate> [Label=value ...]
-- Loads the saved session (the plugin's setState gets the saved chunk), sets the parameters given (e.g. Listen=0 for
-- the original: A/B), reports the parameters Ardour holds, and saves again (getState shows what the processor holds).
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])

start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local proc = find_plugin(session, "Track")
settle()
local assignments = rest(5)
if #assignments > 0 then
  set_parameters(proc, assignments)
  settle()
end
report_parameters(proc, "reloaded")
save(session)
proc = nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "reload")
