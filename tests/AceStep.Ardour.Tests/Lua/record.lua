-- arg: <common.lua> <session dir> <name> <rate> <bpm> <meter numerator> <meter denominator> <seconds> [sidechain]
-- What a producer does first: a session with a tempo and meter, an audio track recorded from the input (the Dummy
-- backend's white-noise generator: every sample differs, so any misplacement shows), and AceStep inserted on it.
-- With "sidechain": AceStep goes on a new empty track "Parts" instead, with a sidechain input added to the insert
-- (what Ardour's pin dialog does) and fed from the recorded track's outputs, as a producer routes a mix to it.
dofile(arg[1])
local dir, name, rate = arg[2], arg[3], tonumber(arg[4])
local bpm, num, den, seconds = tonumber(arg[5]), tonumber(arg[6]), tonumber(arg[7]), tonumber(arg[8])
local sidechain = arg[9] == "sidechain"

start_engine(rate)
assert(AudioEngine:set_device_name("Uniform White Noise") == 0, "the Dummy backend has no white-noise input")
local session = create_session(dir, name, rate)
assert(session, "create_session failed")

local map = Temporal.TempoMap.write_copy()
map:set_tempo(Temporal.Tempo(bpm, bpm, 4), Temporal.timepos_t(0))
map:set_meter(Temporal.Meter(num, den), Temporal.timepos_t(0))
Temporal.TempoMap.update(map)

local track = session:new_audio_track(2, 2, nil, 1, "Track", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
track:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
session:maybe_enable_record(false)
session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
roll_for(session, 0, seconds, rate)
session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(500000)
session:disable_record(false, false)
track:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
-- From now on the track plays what was recorded, never the live input (which keeps generating noise).
track:monitoring_control():set_value(ARDOUR.MonitorChoice.MonitorDisk, PBD.GroupControlDisposition.NoGroup)
for region in track:playlist():region_list():iter() do
  report("region", string.format("%d-%d", region:position():samples(), region:position():samples() + region:length():samples()))
end

local host = track
if sidechain then
  host = session:new_audio_track(2, 2, nil, 1, "Parts", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
end
local proc = ARDOUR.LuaAPI.new_plugin(session, "AceStep", ARDOUR.PluginType.VST3, "")
assert(not proc:isnil(), "Ardour does not list the AceStep VST3 plugin (scanned?)")
assert(host:add_processor_by_index(proc, 0, nil, true), "add_processor_by_index failed")
local inputs, outputs = nil, nil
if sidechain then
  assert(host:add_sidechain(proc), "add_sidechain failed")
  inputs = proc:to_plugininsert():sidechain_input()
  assert(not inputs:isnil(), "the insert has no sidechain input")
  outputs = track:output()
  assert(inputs:n_ports():n_audio() == 2, "the sidechain input has " .. inputs:n_ports():n_audio() .. " audio ports, not 2")
  for i = 0, 1 do
    local from, to = outputs:audio(i):name(), inputs:audio(i)
    assert(to:connect(from) == 0, "connecting " .. from .. " to " .. to:name() .. " failed")
    report("sidechain", from .. " -> " .. to:name())
  end
end
settle()
save(session)
track, host, proc, map, inputs, outputs = nil, nil, nil, nil, nil, nil
collectgarbage() -- Ardour objects freed while the engine runs (see common.lua)
close_session()
report("done", "record")
