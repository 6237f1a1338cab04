-- arg: <common.lua> <session dir> <name> <rate> <bpm> <meter numerator> <meter denominator> [Label=value ...]
-- Creates the session with a tempo and meter, an audio track and the plugin on it, sets parameters, saves.
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])
local bpm, num, den = tonumber(arg[5]), tonumber(arg[6]), tonumber(arg[7])

start_engine(rate)
local session = create_session(dir, name, rate)
assert(session, "create_session failed")
report("rate", session:nominal_sample_rate())

local map = Temporal.TempoMap.write_copy()
map:set_tempo(Temporal.Tempo(bpm, bpm, 4), Temporal.timepos_t(0))
map:set_meter(Temporal.Meter(num, den), Temporal.timepos_t(0))
Temporal.TempoMap.update(map)

local tracks = session:new_audio_track(2, 2, nil, 1, "Track", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
assert(tracks:size() == 1, "new_audio_track failed")
local proc = ARDOUR.LuaAPI.new_plugin(session, "AceStep", ARDOUR.PluginType.VST3, "")
assert(not proc:isnil(), "Ardour does not list the AceStep VST3 plugin (scanned?)")
assert(tracks:front():add_processor_by_index(proc, 0, nil, true), "add_processor_by_index failed")

set_parameters(proc, rest(8))
settle()
report_parameters(proc, "created")
save(session)
tracks, proc, map = nil, nil, nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "create")
