-- arg: <common.lua> <session dir> <name> <rate> <seconds to roll> [Label=value ...]
-- Loads the session (with the auto-loop range patched in), plays the loop and saves while it plays (the plugin's
-- getState sees the transport of the last looped block), stops, changes more parameters and saves again.
dofile(arg[1])
local dir, name, rate, seconds = arg[2], arg[3], tonumber(arg[4]), tonumber(arg[5])

start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local proc = find_plugin(session, "Track")

local loop = session:locations():auto_loop_location()
assert(loop ~= nil, "the session has no loop range")
report("loop.start", loop:start():samples())
report("loop.end", loop:_end():samples())

session:request_play_loop(true, true)
session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(math.floor(seconds * 1000000))
report("rolling", session:transport_rolling())
report("looping", session:get_play_loop())
save(session)
report("saved", "looping")
session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)

set_parameters(proc, rest(6))
settle()
report_parameters(proc, "played")
save(session)
proc, loop = nil, nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "play")
