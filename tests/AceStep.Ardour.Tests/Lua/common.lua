-- Shared by the test scripts (loaded with dofile). Every line the C# test reads starts with "ACESTEP ".
--
-- Each script drops its Ardour objects (tracks, processors, the tempo map copy) and collects garbage before
-- close_session(): a track list Lua still holds is otherwise destroyed by the Lua state's teardown after the engine
-- is gone, and luasession 7.3 then crashes in PortManager::unregister_port (core dump, 2026-12-06; seen in 1 of 4
-- create runs with MALLOC_CHECK_=3, with or without the plugin's process having done anything).

function report(key, value)
  print(string.format("ACESTEP %s %s", key, tostring(value)))
end

function start_engine(rate)
  assert(AudioEngine:set_backend("None (Dummy)", "", ""), "the Dummy backend is missing")
  AudioEngine:set_sample_rate(rate)
end

-- The AceStep insert on the track the create script made.
function find_plugin(session, track_name)
  local route = session:route_by_name(track_name)
  assert(not route:isnil(), "no track named " .. track_name)
  local proc = route:nth_plugin(0)
  assert(not proc:isnil(), "the track has no plugin")
  assert(proc:display_name() == "AceStep", "the first plugin is " .. proc:display_name())
  return proc
end

-- Plain values of every plugin parameter as Ardour's controller side holds them.
function report_parameters(proc, prefix)
  local plugin = proc:to_plugininsert():plugin(0)
  for i = 0, plugin:parameter_count() - 1 do
    if plugin:parameter_is_input(i) then
      local value = ARDOUR.LuaAPI.get_processor_param(proc, i)
      report(prefix .. "." .. plugin:parameter_label(i), string.format("%.17g", value))
    end
  end
end

-- Sets parameters given as "Label=value" arguments (labels as the plugin names them, values plain).
function set_parameters(proc, assignments)
  local plugin = proc:to_plugininsert():plugin(0)
  for _, assignment in ipairs(assignments) do
    local label, value = assignment:match("^(.-)=(.*)$")
    assert(label, "not Label=value: " .. assignment)
    local index = nil
    for i = 0, plugin:parameter_count() - 1 do
      if plugin:parameter_is_input(i) and plugin:parameter_label(i) == label then index = i end
    end
    assert(index, "the plugin has no parameter " .. label)
    assert(ARDOUR.LuaAPI.set_processor_param(proc, index, tonumber(value)), "set_processor_param failed for " .. label)
  end
end

-- The arguments from position first on, as a list.
function rest(first)
  local list = {}
  local i = first
  while arg[i] do list[#list + 1] = arg[i]; i = i + 1 end
  return list
end

-- Parameter changes reach the VST3 processor only through process(): let the engine run some cycles before saving.
function settle()
  ARDOUR.LuaAPI.usleep(400000)
end

function save(session)
  assert(session:save_state("", false, false, false, false, false) == 0, "save_state failed")
end

-- Waits for a file to exist (the test's signal), up to the given seconds; true when it appeared.
function wait_for_file(path, seconds)
  local waited = 0
  while not ARDOUR.LuaAPI.file_test(path, ARDOUR.LuaAPI.FileTest.Exists) do
    if waited >= seconds then return false end
    ARDOUR.LuaAPI.usleep(100000)
    waited = waited + 0.1
  end
  return true
end

-- Rolls until the transport has played <seconds> of audio from <from>, however slowly a loaded machine runs the
-- Dummy backend (it can fall behind real time, so a plain sleep records or plays less than asked); gives up after
-- four times the wall-clock time plus ten seconds.
function roll_for(session, from, seconds, rate)
  local target = from + math.floor(seconds * rate)
  local waited, limit = 0, seconds * 4 + 10
  while session:transport_sample() < target do
    assert(waited < limit, string.format("the transport reached %d, not %d, in %.1f s", session:transport_sample(), target, waited))
    ARDOUR.LuaAPI.usleep(50000)
    waited = waited + 0.05
  end
end

-- Plays the loop range (looped) until the transport is <fraction> of the way into pass <passes> + 1: the first wrap
-- lets the plugin observe the loop's edges, the passes cover the range. Counts wraps: the position jumping back from
-- inside the loop (not the first locate from wherever the playhead was).
function loop_for(session, passes, fraction)
  local loop = session:locations():auto_loop_location()
  local start, length = loop:start():samples(), loop:length():samples()
  local wraps, last, waited = 0, session:transport_sample(), 0
  local limit = 60
  while true do
    ARDOUR.LuaAPI.usleep(20000)
    waited = waited + 0.02
    local now = session:transport_sample()
    if now < last and last >= start and last <= start + length then wraps = wraps + 1 end
    last = now
    if wraps >= passes and now >= start + math.floor(fraction * length) then break end
    assert(waited < limit, string.format("the loop wrapped %d times in %.1f s (want %d)", wraps, waited, passes))
  end
end
