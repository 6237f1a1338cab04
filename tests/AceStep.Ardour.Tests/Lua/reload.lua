-- arg: <common.lua> <session dir> <name> <rate>
-- Loads the saved session (the plugin's setState gets the saved chunk), reports the parameters Ardour restored, and
-- saves again (getState shows what the processor holds after the reload).
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])

start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local proc = find_plugin(session, "Track")
settle()
report_parameters(proc, "reloaded")
save(session)
close_session()
report("done", "reload")
