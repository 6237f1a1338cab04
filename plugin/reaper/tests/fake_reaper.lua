-- fake_reaper.lua: a recorded fake of exactly the ReaScript functions the AceStep scripts call, backed by a small
-- in-memory project (tracks, items, takes, sources, time selection, tempo map, ext state, files).
--
-- F.new(opts) returns `r` (to install as the global `reaper`) and `P` (the project model and the logs):
--   P.calls      every call, {name=..., args={...}}
--   P.mutations  every call that changes something, {name, args, kind = "project" | "ext" | "fs", in_undo}
--   P.exec       every ExecProcess, {cmdline, script (POSIX), argv (decoded as the shell / C runtime would)}
--   P.messages   every ShowMessageBox text
--   P.inputs     every GetUserInputs, {title, n, captions, defaults}
-- ExecProcess answers from P.cli(argv, P) -> {code=, stdout=, stderr=} (a scripted CLI), or runs the command for
-- real when P.exec_real is set. Reading a function the fake lacks is an error, so a script cannot call an
-- unmodelled API by accident.

local F = {}

-- Every function the fake implements (the tests check that this is exactly the set the scripts use).
F.IMPLEMENTED = {}

---------------------------------------------------------------------------------------------------------------
-- Decoders for what ExecProcess receives (independent of the library's quoting code)
---------------------------------------------------------------------------------------------------------------

--- Splits one POSIX shell command line made of single-quoted words, \' escapes, bare words and the
--- redirections >FILE and 2>FILE. Returns argv, redirects {["1"]=path, ["2"]=path}.
function F.decode_posix(line)
  local argv, redirects = {}, {}
  local i, n = 1, #line
  while i <= n do
    while line:sub(i, i) == " " do i = i + 1 end
    if i > n then break end
    local target
    if line:sub(i, i + 1) == "2>" then target = "2"; i = i + 2
    elseif line:sub(i, i) == ">" then target = "1"; i = i + 1 end
    local word = {}
    while i <= n and line:sub(i, i) ~= " " do
      local c = line:sub(i, i)
      if c == "'" then
        local close = line:find("'", i + 1, true)
        assert(close, "unterminated single quote in: " .. line)
        word[#word + 1] = line:sub(i + 1, close - 1)
        i = close + 1
      elseif c == "\\" then
        word[#word + 1] = line:sub(i + 1, i + 1)
        i = i + 2
      else
        assert(not c:find("[\"`$;&|<>*?(){}]"), "unquoted shell metacharacter " .. c .. " in: " .. line)
        word[#word + 1] = c
        i = i + 1
      end
    end
    if target then redirects[target] = table.concat(word) else argv[#argv + 1] = table.concat(word) end
  end
  return argv, redirects
end

--- Splits a Windows command line as the Microsoft C runtime does (CommandLineToArgvW rules; the program name
--- is only grouped by quotes).
function F.decode_windows(line)
  local argv, i, n = {}, 1, #line
  -- program name
  local prog = {}
  if line:sub(1, 1) == '"' then
    local close = line:find('"', 2, true) or (n + 1)
    prog[1] = line:sub(2, close - 1)
    i = close + 1
  else
    local sp = line:find("[ \t]") or (n + 1)
    prog[1] = line:sub(1, sp - 1)
    i = sp
  end
  argv[1] = table.concat(prog)
  while true do
    while i <= n and line:sub(i, i):find("[ \t]") do i = i + 1 end
    if i > n then break end
    local word, in_quotes = {}, false
    while i <= n do
      local c = line:sub(i, i)
      if c == "\\" then
        local j = i
        while line:sub(j, j) == "\\" do j = j + 1 end
        local count = j - i
        if line:sub(j, j) == '"' then
          word[#word + 1] = string.rep("\\", count // 2)
          if count % 2 == 1 then word[#word + 1] = '"'; i = j + 1 else i = j end
        else
          word[#word + 1] = string.rep("\\", count)
          i = j
        end
      elseif c == '"' then
        if in_quotes and line:sub(i + 1, i + 1) == '"' then
          word[#word + 1] = '"'; i = i + 2
        else
          in_quotes = not in_quotes; i = i + 1
        end
      elseif not in_quotes and c:find("[ \t]") then
        break
      else
        word[#word + 1] = c; i = i + 1
      end
    end
    argv[#argv + 1] = table.concat(word)
  end
  return argv
end

--- JSON string literal (for scripted CLI replies).
function F.json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
    return map[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

--- The value after `flag` in argv.
function F.arg_after(argv, flag)
  for i = 1, #argv - 1 do if argv[i] == flag then return argv[i + 1] end end
  return nil
end

--- A scripted CLI that succeeds: it "writes" the --out file (into the fake file system) and replies
--- {"files":[out]}; `length` is the result's length in seconds (for the source the fake creates from it).
function F.cli_ok(length)
  return function(argv, P)
    local out = F.arg_after(argv, "--out")
    P.fs[out] = { length = length or 30, type = "WAVE" }
    return { code = 0, stdout = '{"files":[' .. F.json_string(out) .. ']}\n', stderr = "" }
  end
end

--- A scripted CLI that fails with `code` and `stderr`.
function F.cli_fail(code, stderr)
  return function() return { code = code, stdout = "", stderr = stderr } end
end

---------------------------------------------------------------------------------------------------------------
-- The project model
---------------------------------------------------------------------------------------------------------------

--- Adds a track; opts.selected.
function F.add_track(P, opts)
  local tr = { kind = "track", name = opts and opts.name or ("Track " .. (#P.tracks + 1)),
    selected = opts and opts.selected or false, items = {} }
  P.tracks[#P.tracks + 1] = tr
  return tr
end

--- A source for a file; opts.type (default "WAVE"), opts.length (seconds, default 30).
function F.source(file, opts)
  opts = opts or {}
  return { kind = "source", file = file, type = opts.type or "WAVE", length = opts.length or 30 }
end

--- Adds an item to `track`: opts.pos, opts.len, opts.selected, opts.takes = { {source=, offs=, rate=, midi=} },
--- opts.active (1-based, default 1). Source files are registered in the fake file system.
function F.add_item(P, track, opts)
  local item = { kind = "item", track = track, pos = opts.pos, len = opts.len, selected = opts.selected or false,
    takes = {}, active = opts.active or 1 }
  for _, t in ipairs(opts.takes or {}) do
    local take = { kind = "take", item = item, source = t.source, offs = t.offs or 0, rate = t.rate or 1,
      midi = t.midi or false, name = t.name or "" }
    item.takes[#item.takes + 1] = take
    if t.source and t.source.file ~= "" and not t.missing then P.fs[t.source.file] = { length = t.source.length } end
  end
  track.items[#track.items + 1] = item
  return item
end

local MUTATING = {
  SetExtState = "ext", RecursiveCreateDirectory = "fs",
  Undo_BeginBlock = "project", Undo_EndBlock = "project", UpdateArrange = "project",
  AddTakeToMediaItem = "project", SetMediaItemTake_Source = "project", SetMediaItemTakeInfo_Value = "project",
  SetMediaItemInfo_Value = "project", SetActiveTake = "project", AddMediaItemToTrack = "project",
  GetSetMediaItemTakeInfo_String = "project", -- only when setting
}

function F.new(opts)
  opts = opts or {}
  local P = {
    os = opts.os or "Other",
    project_file = opts.project_file or "/home/user/Songs/My Song/My Song.rpp",
    project_path = opts.project_path or "/home/user/Songs/My Song/Media",
    tracks = {},
    time_sel = opts.time_sel or { 0, 0 },
    bpm = opts.bpm or 120, num = opts.num or 4, denom = opts.denom or 4,
    ext = {}, fs = {}, dirs = {},
    user_inputs = opts.user_inputs or {},
    cli = opts.cli or F.cli_ok(),
    calls = {}, mutations = {}, exec = {}, messages = {}, inputs = {},
    undo_depth = 0, undo_blocks = 0,
  }
  local r = {}

  local function def(name, fn)
    F.IMPLEMENTED[name] = true
    r[name] = function(...)
      local args = table.pack(...)
      P.calls[#P.calls + 1] = { name = name, args = args }
      local kind = MUTATING[name]
      if kind and not (name == "GetSetMediaItemTakeInfo_String" and not args[4]) then
        P.mutations[#P.mutations + 1] = { name = name, args = args, kind = kind, in_undo = P.undo_depth > 0 }
      end
      return fn(...)
    end
  end

  local function selected_items()
    local list = {}
    for _, tr in ipairs(P.tracks) do
      for _, it in ipairs(tr.items) do if it.selected then list[#list + 1] = it end end
    end
    return list
  end

  -- System and state
  def("GetOS", function() return P.os end)
  def("GetExtState", function(section, key) return P.ext[section .. "/" .. key] or "" end)
  def("SetExtState", function(section, key, value, persist)
    assert(type(value) == "string" and not value:find("\n"), "SetExtState value must be one line")
    P.ext[section .. "/" .. key] = value
  end)
  def("ShowMessageBox", function(msg, title, kind)
    P.messages[#P.messages + 1] = msg
    return 1
  end)
  def("GetUserInputs", function(title, n, captions, defaults)
    P.inputs[#P.inputs + 1] = { title = title, n = n, captions = captions, defaults = defaults }
    local reply = table.remove(P.user_inputs, 1)
    assert(reply, "the script asked for input the test did not script: " .. title)
    return reply.ok ~= false, reply.value or ""
  end)
  def("file_exists", function(path)
    if P.fs[path] then return true end
    if P.exec_real then
      local f = io.open(path, "rb")
      if f then f:close(); return true end
    end
    return false
  end)
  def("RecursiveCreateDirectory", function(path, ignored)
    P.dirs[path] = true
    return 1
  end)
  def("EnumProjects", function(idx, buf)
    assert(idx == -1, "only the current project is modelled")
    return "PROJECT", P.project_file
  end)
  def("GetProjectPath", function(buf) return P.project_path end)

  -- Running processes
  def("ExecProcess", function(cmdline, timeout)
    local rec = { cmdline = cmdline, timeout = timeout }
    P.exec[#P.exec + 1] = rec
    if P.exec_real then
      local f = io.popen(cmdline .. " 2>&1", "r")
      local out = f:read("a")
      local _, _, code = f:close()
      return tostring(code) .. "\n" .. out
    end
    local argv, redirects
    if P.os:find("^Win") then
      argv = F.decode_windows(cmdline)
    else
      local script_path = cmdline:match("^/bin/sh (%S+)$")
      assert(script_path, "POSIX ExecProcess must run /bin/sh <script>, got: " .. cmdline)
      local fh = assert(io.open(script_path, "rb"))
      rec.script = fh:read("a")
      fh:close()
      local line = rec.script:match("^#!/bin/sh\n(.-)\n$")
      assert(line, "unexpected script: " .. rec.script)
      rec.line = line
      argv, redirects = F.decode_posix(line)
    end
    rec.argv = argv
    local reply = P.cli(argv, P)
    if P.os:find("^Win") then
      return tostring(reply.code) .. "\n" .. (reply.stdout or "") .. (reply.stderr or "")
    end
    for fd, text in pairs({ ["1"] = reply.stdout or "", ["2"] = reply.stderr or "" }) do
      if redirects[fd] then
        local fh = assert(io.open(redirects[fd], "wb"))
        fh:write(text)
        fh:close()
      end
    end
    return tostring(reply.code) .. "\n"
  end)

  -- Time selection and tempo map
  def("GetSet_LoopTimeRange", function(isSet, isLoop, s, e, seek)
    assert(not isSet and not isLoop, "the scripts only read the time selection")
    return P.time_sel[1], P.time_sel[2]
  end)
  def("TimeMap_GetDividedBpmAtTime", function(t)
    local bpm = P.bpm
    if P.denom == 8 then bpm = bpm * 2 end -- "2x in /8 signatures"
    return bpm
  end)
  def("TimeMap_GetTimeSigAtTime", function(proj, t) return P.num, P.denom, P.bpm end)

  -- Tracks and items
  def("GetSelectedTrack", function(proj, idx)
    local k = 0
    for _, tr in ipairs(P.tracks) do
      if tr.selected then
        if k == idx then return tr end
        k = k + 1
      end
    end
    return nil
  end)
  def("CountSelectedMediaItems", function(proj) return #selected_items() end)
  def("GetSelectedMediaItem", function(proj, idx) return selected_items()[idx + 1] end)
  def("GetMediaItem_Track", function(item) return item.track end)
  def("CountTrackMediaItems", function(track) return #track.items end)
  def("GetTrackMediaItem", function(track, idx) return track.items[idx + 1] end)
  def("IsMediaItemSelected", function(item) return item.selected end)
  def("GetMediaItemInfo_Value", function(item, parm)
    if parm == "D_POSITION" then return item.pos end
    if parm == "D_LENGTH" then return item.len end
    error("fake GetMediaItemInfo_Value: " .. parm .. " not modelled")
  end)
  def("SetMediaItemInfo_Value", function(item, parm, value)
    if parm == "D_POSITION" then item.pos = value
    elseif parm == "D_LENGTH" then item.len = value
    else error("fake SetMediaItemInfo_Value: " .. parm .. " not modelled") end
    return true
  end)
  def("AddMediaItemToTrack", function(track)
    local item = { kind = "item", track = track, pos = 0, len = 0, selected = false, takes = {}, active = 0 }
    track.items[#track.items + 1] = item
    return item
  end)

  -- Takes
  def("GetActiveTake", function(item) return item.takes[item.active] end)
  def("TakeIsMIDI", function(take) return take.midi end)
  def("GetMediaItemTakeInfo_Value", function(take, parm)
    if parm == "D_STARTOFFS" then return take.offs end
    if parm == "D_PLAYRATE" then return take.rate end
    error("fake GetMediaItemTakeInfo_Value: " .. parm .. " not modelled")
  end)
  def("SetMediaItemTakeInfo_Value", function(take, parm, value)
    if parm == "D_STARTOFFS" then take.offs = value
    elseif parm == "D_PLAYRATE" then take.rate = value
    else error("fake SetMediaItemTakeInfo_Value: " .. parm .. " not modelled") end
    return true
  end)
  def("GetSetMediaItemTakeInfo_String", function(take, parm, value, set)
    assert(parm == "P_NAME", "fake GetSetMediaItemTakeInfo_String: " .. parm .. " not modelled")
    if set then take.name = value end
    return true, take.name
  end)
  def("AddTakeToMediaItem", function(item)
    local take = { kind = "take", item = item, source = nil, offs = 0, rate = 1, midi = false, name = "" }
    item.takes[#item.takes + 1] = take
    if item.active == 0 then item.active = #item.takes end
    return take
  end)
  def("SetActiveTake", function(take)
    for i, t in ipairs(take.item.takes) do if t == take then take.item.active = i end end
  end)

  -- Sources
  def("GetMediaItemTake_Source", function(take) return take.source end)
  def("GetMediaSourceType", function(src, buf) return src.type end)
  def("GetMediaSourceFileName", function(src, buf) return src.file end)
  def("GetMediaSourceLength", function(src) return src.length, false end)
  def("PCM_Source_CreateFromFile", function(file)
    local f = P.fs[file]
    if not f and P.exec_real then
      local fh = io.open(file, "rb")
      if fh then fh:close(); f = { length = 30 } end
    end
    if not f then return nil end
    return F.source(file, { type = f.type or "WAVE", length = f.length })
  end)
  def("SetMediaItemTake_Source", function(take, src)
    take.source = src
    return true
  end)

  -- Undo and redraw
  def("Undo_BeginBlock", function()
    P.undo_depth = P.undo_depth + 1
  end)
  def("Undo_EndBlock", function(desc, flags)
    assert(P.undo_depth > 0, "Undo_EndBlock without Undo_BeginBlock")
    P.undo_depth = P.undo_depth - 1
    P.undo_blocks = P.undo_blocks + 1
    P.undo_desc = desc
  end)
  def("UpdateArrange", function() end)

  setmetatable(r, { __index = function(_, k) error("fake reaper: " .. tostring(k) .. " is not implemented", 2) end })
  return r, P
end

--- The project mutations (kind "project") in call order, by name.
function F.project_mutation_names(P)
  local names = {}
  for _, m in ipairs(P.mutations) do if m.kind == "project" then names[#names + 1] = m.name end end
  return names
end

return F
