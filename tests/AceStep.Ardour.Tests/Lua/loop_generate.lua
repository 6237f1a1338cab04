-- arg: <common.lua> <session dir> <name> <rate> <loop passes> <go file> <track with AceStep> [no-loop-fades]
-- The producer's loop workflow: play the loop range (looped) for a few passes (and a bit), stop, open the control page (the test
-- then presses Generate on the page, as the producer would), and save once the test says the take is there.
dofile(arg[1])
local dir, name, rate, passes, go, track = arg[2], arg[3], tonumber(arg[4]), tonumber(arg[5]), arg[6], arg[7]

if arg[8] == "no-loop-fades" then
  -- Preferences > Transport, Loop Fades: none (Ardour's default crossfades the loop's end with the audio before its start).
  ARDOUR.config():set_loop_fade_choice(ARDOUR.LoopFadeChoice.NoLoopFade)
end
start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local proc = find_plugin(session, track)
assert(session:locations():auto_loop_location() ~= nil, "the session has no loop range")

session:request_play_loop(true, true)
session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
loop_for(session, passes, 0.3)
session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
settle()

set_parameters(proc, { "Open Control Page=1" })
settle()
-- The save traces the instance id (the page address) for the test.
save(session)
report("page", "open")
io.stdout:flush()

assert(wait_for_file(go, 180), "the test never said the take was made")
save(session)
report_parameters(proc, "saved")
proc = nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "loop_generate")
