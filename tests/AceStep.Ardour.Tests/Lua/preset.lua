-- arg: <common.lua> <session dir> <name> <rate>
-- A producer saves a preset from the AceStep on "Track" and loads it into a new AceStep on a second track.
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])

start_engine(rate)
local session = load_session(dir, name)
assert(session, "load_session failed")
local first = find_plugin(session, "Track"):to_plugininsert():plugin(0)
assert(first:save_preset("acestep-test-preset"), "save_preset failed")

local track = session:new_audio_track(2, 2, nil, 1, "Second", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
local proc = ARDOUR.LuaAPI.new_plugin(session, "AceStep", ARDOUR.PluginType.VST3, "")
assert(not proc:isnil(), "new_plugin failed")
assert(track:add_processor_by_index(proc, 0, nil, true), "add_processor_by_index failed")
settle()
local second = proc:to_plugininsert():plugin(0)
local preset = second:preset_by_label("acestep-test-preset")
assert(preset, "the preset is not listed")
assert(second:load_preset(preset), "load_preset failed")
settle()
save(session)
first, track, proc, second, preset = nil, nil, nil, nil, nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "preset")
