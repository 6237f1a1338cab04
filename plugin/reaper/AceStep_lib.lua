-- AceStep_lib.lua: the logic shared by the AceStep ReaScripts (docs/reaper.md).
--
-- The action scripts next to this file load it with dofile() relative to their own path and call one of
-- M.repaint / M.cover / M.generate / M.settings with the ReaScript API table (`reaper` inside REAPER, a
-- recorded fake in plugin/reaper/tests). Nothing here touches the project before the CLI has succeeded and its
-- result file exists; every edit then happens inside one undo block.

local M = {}

M.EXT_SECTION = "AceStep"
M.EXT_CLI_PATH = "cli_path"   -- full path of the `acestep` executable; empty = `acestep` found on PATH
M.TITLE = "AceStep"
M.MIN_GENERATE_SECONDS = 6     -- the engine's text-to-music duration range (the task API's `duration`)
M.MAX_GENERATE_SECONDS = 300
M.MAX_SECONDS = 600            -- the model's limit for a whole repaint result (source + extension)

-- What the CLI's exit codes mean (docs/cli.md, src/AceStep.Cli/ExitCodes.cs), to explain a failure.
M.EXIT_MEANINGS = {
  [1] = "the engine answered with errors for the task",
  [2] = "wrong command line",
  [3] = "no engine answered; start the engine (scripts/engine.sh)",
  [4] = "something answered that does not speak the engine's protocol",
  [5] = "a model is not installed or its files are damaged (see `acestep models list`)",
  [8] = "the engine refused the task's parameters",
  [9] = "an audio file could not be read or the result not written",
  [10] = "the engine could not start",
  [126] = "the CLI is not executable (check the path in \"AceStep - Settings\")",
  [127] = "the CLI was not found (install `acestep` on PATH or set its path with \"AceStep - Settings\")",
  [130] = "cancelled",
}

---------------------------------------------------------------------------------------------------------------
-- Small helpers
---------------------------------------------------------------------------------------------------------------

--- True on Windows (GetOS says "Win32"/"Win64").
function M.is_windows(r)
  return tostring(r.GetOS() or ""):find("^Win") ~= nil
end

--- Seconds as the CLI gets them: fixed point, at most 6 decimals, no trailing zeros ("12.5", "3", "0.000021").
function M.format_seconds(x)
  local s = string.format("%.6f", x)
  s = s:gsub("0+$", ""):gsub("%.$", "")
  if s == "-0" then s = "0" end
  return s
end

--- A time selection length rounded UP to the engine's 0.1 s grid (a hair of float noise does not add 0.1 s).
function M.round_up_tenth(seconds)
  return math.ceil(seconds * 10 - 1e-6) / 10
end

--- The CLI's `--time-signature` value (beats per bar: "2", "3", "4", or "6" for 6/8), or nil when the metre is
--- not one of the engine's 2/4, 3/4, 4/4 and 6/8 (the model then decides).
function M.time_signature_arg(num, denom)
  num, denom = math.tointeger(num) or num, math.tointeger(denom) or denom
  local ok = (denom == 4 and (num == 2 or num == 3 or num == 4)) or (denom == 8 and num == 6)
  if not ok then return nil end
  return string.format("%d", num)
end

--- Directory part of a path (with its trailing separator removed), or nil.
function M.dirname(path)
  return path and path:match("^(.*)[/\\][^/\\]*$") or nil
end

--- The separator a path already uses ("\\" for a Windows-style path, else "/").
function M.separator_of(path)
  if path:find("\\", 1, true) and not path:find("/", 1, true) then return "\\" end
  return "/"
end

function M.join(dir, name)
  local sep = M.separator_of(dir)
  if dir:sub(-1) == "/" or dir:sub(-1) == "\\" then return dir .. name end
  return dir .. sep .. name
end

---------------------------------------------------------------------------------------------------------------
-- Command lines
---------------------------------------------------------------------------------------------------------------

--- POSIX shell word: single quotes, each ' written as '\'' . Exact for any byte string.
function M.quote_posix(arg)
  return "'" .. tostring(arg):gsub("'", "'\\''") .. "'"
end

--- One argument for a Windows command line as the Microsoft C runtime (and .NET) split it back:
--- quotes around anything with blanks or quotes, \" for a quote, backslashes doubled only before a quote.
function M.quote_windows(arg)
  arg = tostring(arg)
  if arg ~= "" and not arg:find('[%s"]') then return arg end
  local out, backslashes = { '"' }, 0
  for i = 1, #arg do
    local c = arg:sub(i, i)
    if c == "\\" then
      backslashes = backslashes + 1
    elseif c == '"' then
      out[#out + 1] = string.rep("\\", backslashes * 2 + 1) .. '"'
      backslashes = 0
    else
      out[#out + 1] = string.rep("\\", backslashes) .. c
      backslashes = 0
    end
  end
  out[#out + 1] = string.rep("\\", backslashes * 2) .. '"'
  return table.concat(out)
end

--- The program name on a Windows command line: CreateProcess only groups it with quotes (no escapes;
--- a Windows path cannot contain a quote).
function M.quote_windows_program(path)
  if path:find('[%s]') then return '"' .. path .. '"' end
  return path
end

function M.command_line_windows(argv)
  local parts = { M.quote_windows_program(argv[1]) }
  for i = 2, #argv do parts[#parts + 1] = M.quote_windows(argv[i]) end
  return table.concat(parts, " ")
end

function M.command_line_posix(argv)
  local parts = {}
  for i = 1, #argv do parts[i] = M.quote_posix(argv[i]) end
  return table.concat(parts, " ")
end

--- The CLI to run: the path saved with "AceStep - Settings" (ExtState AceStep/cli_path), else `acestep` on PATH.
function M.cli_path(r)
  local p = r.GetExtState(M.EXT_SECTION, M.EXT_CLI_PATH)
  p = p and p:match("^%s*(.-)%s*$") or ""
  if p == "" then return "acestep" end
  return p
end

---------------------------------------------------------------------------------------------------------------
-- JSON: just enough to read the CLI's one-object reply ({"files":[...]}, strings, numbers, nesting).
---------------------------------------------------------------------------------------------------------------

local function utf8_of(cp)
  return utf8.char(cp)
end

local function json_error(msg, pos) error({ json = true, msg = msg .. " at character " .. pos }, 0) end

local function skip_ws(s, i)
  local _, e = s:find("^[ \t\r\n]*", i)
  return e + 1
end

local parse_value

local function parse_string(s, i) -- s:sub(i,i) == '"'
  local out, j = {}, i + 1
  while true do
    local c = s:sub(j, j)
    if c == "" then json_error("unterminated string", j) end
    if c == '"' then return table.concat(out), j + 1 end
    if c == "\\" then
      local e = s:sub(j + 1, j + 1)
      local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
      if simple[e] then
        out[#out + 1] = simple[e]; j = j + 2
      elseif e == "u" then
        local hex = s:sub(j + 2, j + 5)
        if not hex:match("^%x%x%x%x$") then json_error("bad \\u escape", j) end
        local cp = tonumber(hex, 16)
        j = j + 6
        if cp >= 0xD800 and cp <= 0xDBFF and s:sub(j, j + 1) == "\\u" then
          local lo = tonumber(s:sub(j + 2, j + 5), 16)
          if lo and lo >= 0xDC00 and lo <= 0xDFFF then
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
            j = j + 6
          end
        end
        out[#out + 1] = utf8_of(cp)
      else
        json_error("bad escape", j)
      end
    else
      out[#out + 1] = c; j = j + 1
    end
  end
end

function parse_value(s, i)
  i = skip_ws(s, i)
  local c = s:sub(i, i)
  if c == '"' then return parse_string(s, i) end
  if c == "{" then
    local obj = {}
    i = skip_ws(s, i + 1)
    if s:sub(i, i) == "}" then return obj, i + 1 end
    while true do
      i = skip_ws(s, i)
      if s:sub(i, i) ~= '"' then json_error("expected a key", i) end
      local key; key, i = parse_string(s, i)
      i = skip_ws(s, i)
      if s:sub(i, i) ~= ":" then json_error("expected ':'", i) end
      obj[key], i = parse_value(s, i + 1)
      i = skip_ws(s, i)
      local d = s:sub(i, i)
      if d == "}" then return obj, i + 1 end
      if d ~= "," then json_error("expected ',' or '}'", i) end
      i = i + 1
    end
  end
  if c == "[" then
    local arr = {}
    i = skip_ws(s, i + 1)
    if s:sub(i, i) == "]" then return arr, i + 1 end
    while true do
      arr[#arr + 1], i = parse_value(s, i)
      i = skip_ws(s, i)
      local d = s:sub(i, i)
      if d == "]" then return arr, i + 1 end
      if d ~= "," then json_error("expected ',' or ']'", i) end
      i = i + 1
    end
  end
  local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if num and num ~= "" and num ~= "-" then return tonumber(num), i + #num end
  if s:sub(i, i + 3) == "true" then return true, i + 4 end
  if s:sub(i, i + 4) == "false" then return false, i + 5 end
  if s:sub(i, i + 3) == "null" then return nil, i + 4 end
  json_error("unexpected input", i)
end

--- Parses the first JSON object in `text` (anything before its "{" is ignored). Returns value or nil, error.
function M.json_decode(text)
  local start = text and text:find("{", 1, true)
  if not start then return nil, "no JSON object in the CLI's output" end
  local ok, value = pcall(parse_value, text, start)
  if not ok then
    if type(value) == "table" and value.json then return nil, "bad JSON from the CLI: " .. value.msg end
    error(value, 0)
  end
  return value
end

--- The result files of the CLI's `--json` reply {"files":[...]}: strings, or objects with a "path".
function M.result_files(stdout)
  local obj, err = M.json_decode(stdout)
  if not obj then return nil, err end
  if type(obj.files) ~= "table" then return nil, "the CLI's reply has no \"files\" list" end
  local files = {}
  for _, f in ipairs(obj.files) do
    if type(f) == "string" then files[#files + 1] = f
    elseif type(f) == "table" and type(f.path) == "string" then files[#files + 1] = f.path end
  end
  if #files == 0 then return nil, "the CLI returned no file" end
  return files
end

---------------------------------------------------------------------------------------------------------------
-- Running the CLI
---------------------------------------------------------------------------------------------------------------

local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("a") or ""
  f:close()
  return s
end

--- Runs argv (argv[1] = the CLI) and waits. Returns {code, stdout, stderr, cmdline} or nil, message.
--- POSIX: the command is written to a temporary /bin/sh script with every argument in single quotes and
--- stdout/stderr redirected to temporary files, and ExecProcess runs `/bin/sh <script>` (ExecProcess itself
--- runs no shell and splits its command line on blanks, so it only ever sees a path without blanks).
--- Windows: ExecProcess gets the command line directly, quoted by the C-runtime rules the CLI parses.
function M.run_cli(r, argv)
  if M.is_windows(r) then
    local cmdline = M.command_line_windows(argv)
    local reply = r.ExecProcess(cmdline, 0)
    if not reply then return nil, "REAPER could not start the CLI:\n" .. cmdline end
    local code, rest = reply:match("^%s*(%-?%d+)\r?\n?(.*)$")
    if not code then return nil, "unexpected reply from ExecProcess:\n" .. reply end
    local c = tonumber(code)
    -- Windows ExecProcess returns the process output as one stream.
    return { code = c, stdout = rest, stderr = c ~= 0 and rest or "", cmdline = cmdline }
  end
  local base = os.tmpname()                -- creates an empty file, e.g. /tmp/lua_AbC123
  local script, out_path, err_path = base .. ".sh", base .. ".out", base .. ".err"
  local cmd = M.command_line_posix(argv) .. " >" .. M.quote_posix(out_path) .. " 2>" .. M.quote_posix(err_path)
  local f = io.open(script, "wb")
  if not f then os.remove(base); return nil, "could not write a temporary file next to " .. base end
  f:write("#!/bin/sh\n", cmd, "\n")
  f:close()
  local cmdline = "/bin/sh " .. script
  local reply = r.ExecProcess(cmdline, 0)
  local stdout, stderr = read_all(out_path), read_all(err_path)
  for _, p in ipairs({ base, script, out_path, err_path }) do os.remove(p) end
  if not reply then return nil, "REAPER could not start /bin/sh to run the CLI." end
  local code = reply:match("^%s*(%-?%d+)")
  if not code then return nil, "unexpected reply from ExecProcess:\n" .. reply end
  return { code = tonumber(code), stdout = stdout, stderr = stderr, cmdline = cmd }
end

--- The message for a failed CLI run.
function M.failure_message(res, argv)
  local lines = { string.format("The AceStep CLI failed (exit code %d", res.code) }
  local meaning = M.EXIT_MEANINGS[res.code]
  lines[1] = lines[1] .. (meaning and (": " .. meaning .. ").") or ").")
  local err = (res.stderr or ""):gsub("%s+$", "")
  if err ~= "" then
    if #err > 1500 then err = err:sub(1, 1500) .. "\n…" end
    lines[#lines + 1] = "\n" .. err
  end
  lines[#lines + 1] = "\nCommand: " .. (res.cmdline or table.concat(argv, " "))
  lines[#lines + 1] = "\nNothing was changed in the project."
  return table.concat(lines, "\n")
end

---------------------------------------------------------------------------------------------------------------
-- Project queries
---------------------------------------------------------------------------------------------------------------

local function message(r, text)
  r.ShowMessageBox(text, M.TITLE, 0)
end
M.message = message

--- The time selection (start, end) or nil when there is none.
function M.time_selection(r)
  local s, e = r.GetSet_LoopTimeRange(false, false, 0, 0, false)
  if not s or not e or e - s <= 1e-9 then return nil end
  return s, e
end

--- The selected track, else the track of the first selected item, else nil.
function M.target_track(r)
  local tr = r.GetSelectedTrack(0, 0)
  if tr then return tr end
  if r.CountSelectedMediaItems(0) > 0 then
    local item = r.GetSelectedMediaItem(0, 0)
    if item then return r.GetMediaItem_Track(item) end
  end
  return nil
end

--- The item on `track` that covers time `t` (a selected one first when items overlap), or nil.
function M.item_at(r, track, t)
  local found
  for i = 0, r.CountTrackMediaItems(track) - 1 do
    local item = r.GetTrackMediaItem(track, i)
    local pos = r.GetMediaItemInfo_Value(item, "D_POSITION")
    local len = r.GetMediaItemInfo_Value(item, "D_LENGTH")
    if t >= pos - 1e-9 and t < pos + len - 1e-9 then
      if r.IsMediaItemSelected(item) then return item end
      found = found or item
    end
  end
  return found
end

--- The active take's audio file and how it sits in the item. Returns a table or nil, message.
function M.take_source(r, item)
  local take = r.GetActiveTake(item)
  if not take then return nil, "The item has no active take." end
  if r.TakeIsMIDI(take) then return nil, "The item's active take is MIDI; AceStep needs an audio file." end
  local rate = r.GetMediaItemTakeInfo_Value(take, "D_PLAYRATE")
  if math.abs(rate - 1) > 1e-9 then
    return nil, string.format("The active take plays at rate %s. AceStep works on takes at playrate 1 only; "
      .. "render or glue the item first.", M.format_seconds(rate))
  end
  local src = r.GetMediaItemTake_Source(take)
  if not src then return nil, "The active take has no source." end
  local stype = r.GetMediaSourceType(src, "") or ""
  if stype == "SECTION" then
    return nil, "The active take's source is a section or reversed; AceStep needs a plain audio file "
      .. "(glue the item first)."
  end
  if stype == "MIDI" or stype == "MIDIPOOL" or stype == "EMPTY" or stype == "CLICK" or stype == "VIDEOEFFECT" then
    return nil, "The active take is not an audio file (" .. stype .. ")."
  end
  local file = r.GetMediaSourceFileName(src, "") or ""
  if file == "" then return nil, "The active take's source is not a file (" .. stype .. ")." end
  if not r.file_exists(file) then return nil, "The take's source file is missing:\n" .. file end
  local length = r.GetMediaSourceLength(src)
  return {
    take = take,
    file = file,
    offset = r.GetMediaItemTakeInfo_Value(take, "D_STARTOFFS"),
    length = length,
    position = r.GetMediaItemInfo_Value(item, "D_POSITION"),
    item_length = r.GetMediaItemInfo_Value(item, "D_LENGTH"),
  }
end

--- The folder for results: `AceStep` next to the saved project, else in the project's media path.
function M.output_dir(r)
  local _, projfn = r.EnumProjects(-1, "")
  local dir = projfn and projfn ~= "" and M.dirname(projfn) or nil
  if not dir or dir == "" then dir = r.GetProjectPath("") end
  if not dir or dir == "" then return nil end
  return M.join(dir, "AceStep")
end

--- A result file name: the job, the project span it is for, and the wall-clock time.
function M.output_name(kind, start_s, end_s, now)
  local function pos(t)
    local ms = math.floor(t * 1000 + 0.5)
    return string.format("%dm%02d.%03ds", ms // 60000, (ms // 1000) % 60, ms % 1000)
  end
  return string.format("%s_%s-%s_%s.wav", kind, pos(start_s), pos(end_s), os.date("%Y%m%d-%H%M%S", now))
end

--- The output path for a job, creating the folder; nil, message on failure.
function M.output_path(r, kind, start_s, end_s, now)
  local dir = M.output_dir(r)
  if not dir then return nil, "Save the project first: results go to an AceStep folder next to it." end
  r.RecursiveCreateDirectory(dir, 0)
  local name = M.output_name(kind, start_s, end_s, now or os.time())
  local path = M.join(dir, name)
  local n = 1
  while r.file_exists(path) do
    n = n + 1
    path = M.join(dir, (name:gsub("%.wav$", "_" .. n .. ".wav")))
  end
  return path
end

--- Asks for a prompt, offering the last one for this action. Returns the prompt or nil when cancelled/empty.
function M.ask_prompt(r, key, title)
  local last = r.GetExtState(M.EXT_SECTION, key) or ""
  local ok, value = r.GetUserInputs(title, 1, "Prompt:,separator=\n,extrawidth=420", last)
  if not ok then return nil end
  value = (value or ""):match("^%s*(.-)%s*$")
  if value == "" then
    message(r, "Enter a prompt describing the music, e.g. \"same groove, brass stab fill\".")
    return nil
  end
  r.SetExtState(M.EXT_SECTION, key, value, true)
  return value
end

--- Asks for the part (a stem name such as "drums"; the engine checks it against the model's list) and the prompt;
--- both are remembered under `key`. Returns part, prompt, or nil when cancelled or without a part. The prompt may be
--- empty: the task names the part, so the CLI runs the stem jobs without one.
function M.ask_part(r, key, title, part_caption)
  local last_part = r.GetExtState(M.EXT_SECTION, key .. "_part") or ""
  local last_prompt = r.GetExtState(M.EXT_SECTION, key) or ""
  local ok, value = r.GetUserInputs(title, 2, part_caption .. ",Prompt:,separator=\n,extrawidth=420",
    last_part .. "\n" .. last_prompt)
  if not ok then return nil end
  local part, prompt = (value or ""):match("^([^\n]*)\n?(.*)$")
  part = (part or ""):match("^%s*(.-)%s*$"):lower()
  prompt = (prompt or ""):match("^%s*(.-)%s*$")
  if part == "" then
    message(r, "Name the part, e.g. drums, bass, guitar, keyboard, strings, vocals.")
    return nil
  end
  r.SetExtState(M.EXT_SECTION, key .. "_part", part, true)
  r.SetExtState(M.EXT_SECTION, key, prompt, true)
  return part, prompt
end

-- The stem jobs' argv: `--prompt P` before `--out` only when there is a prompt.
local function stem_argv(argv, prompt)
  if prompt ~= "" then
    for i, a in ipairs(argv) do
      if a == "--out" then
        table.insert(argv, i, prompt)
        table.insert(argv, i, "--prompt")
        break
      end
    end
  end
  return argv
end

--- Runs the CLI and returns the result file, or nil after telling the user why.
local function run_and_get_file(r, argv)
  local res, err = M.run_cli(r, argv)
  if not res then message(r, err .. "\n\nNothing was changed in the project."); return nil end
  if res.code ~= 0 then message(r, M.failure_message(res, argv)); return nil end
  local files, ferr = M.result_files(res.stdout)
  if not files then
    message(r, ferr .. "\n\nOutput:\n" .. (res.stdout or "") .. "\n\nNothing was changed in the project.")
    return nil
  end
  local file = files[1]
  if not r.file_exists(file) then
    message(r, "The CLI reported a result file that does not exist:\n" .. file .. "\n\nNothing was changed in the project.")
    return nil
  end
  return file
end

local function create_source(r, file)
  local src = r.PCM_Source_CreateFromFile(file)
  if not src then message(r, "REAPER could not open the result:\n" .. file .. "\n\nNothing was changed in the project.") end
  return src
end

local function short(prompt)
  if #prompt > 60 then return prompt:sub(1, 57) .. "..." end
  return prompt
end

-- A stem take's name: "AceStep drums" or "AceStep drums: tight funk drums".
local function stem_take_name(label, prompt)
  return "AceStep " .. label .. (prompt ~= "" and (": " .. short(prompt)) or "")
end

--- Adds `file` as a new active take on `item`, aligned with the original take (same start offset: the result
--- starts where the source starts), and lengthens the item to `new_length` when given. One undo step.
local function add_take(r, item, info, src, name, new_length, undo_text)
  r.Undo_BeginBlock()
  local take = r.AddTakeToMediaItem(item)
  r.SetMediaItemTake_Source(take, src)
  r.SetMediaItemTakeInfo_Value(take, "D_STARTOFFS", info.offset)
  r.GetSetMediaItemTakeInfo_String(take, "P_NAME", name, true)
  if new_length then r.SetMediaItemInfo_Value(item, "D_LENGTH", new_length) end
  r.SetActiveTake(take)
  r.Undo_EndBlock(undo_text, -1)
  r.UpdateArrange()
  return take
end

---------------------------------------------------------------------------------------------------------------
-- The actions
---------------------------------------------------------------------------------------------------------------

--- The time selection over an item of the selected track, in seconds of the take's source file; nil after telling
--- the user why not. `what` completes "the part of an item to …".
local function selection_in_source(r, what)
  local sel_start, sel_end = M.time_selection(r)
  if not sel_start then message(r, "Make a time selection over the part of an item to " .. what .. "."); return nil end
  local track = M.target_track(r)
  if not track then message(r, "Select the track (or an item on it) to " .. what .. "."); return nil end
  local item = M.item_at(r, track, sel_start)
  if not item then
    message(r, "No item on the selected track covers the start of the time selection.")
    return nil
  end
  local info, err = M.take_source(r, item)
  if not info then message(r, err); return nil end
  -- The selection in seconds of the source file (playrate 1): file time = offset + (project time - position).
  local s = info.offset + (sel_start - info.position)
  local e = info.offset + (sel_end - info.position)
  if s < 0 then
    message(r, "The selection starts before the beginning of the take's source file; move it inside the audio.")
    return nil
  end
  if info.length and s >= info.length then
    message(r, "The selection starts past the end of the take's source file (a looped item?); "
      .. "glue the item first.")
    return nil
  end
  if math.max(e, info.length or 0) - math.min(s, 0) > M.MAX_SECONDS then
    message(r, string.format("The source plus the new part would be longer than %d s, the model's limit.", M.MAX_SECONDS))
    return nil
  end
  return { item = item, info = info, s = s, e = e, sel_start = sel_start, sel_end = sel_end }
end

--- The item length that reaches the selection's end when the result extends past the item, else nil.
local function length_to(sel, info)
  local item_end = info.position + info.item_length
  return sel.sel_end > item_end + 1e-9 and (sel.sel_end - info.position) or nil
end

--- "AceStep - Repaint time selection".
function M.repaint(r)
  local sel = selection_in_source(r, "repaint")
  if not sel then return end
  local item, info, s, e, sel_start, sel_end = sel.item, sel.info, sel.s, sel.e, sel.sel_start, sel.sel_end
  local prompt = M.ask_prompt(r, "last_prompt_repaint", "AceStep: repaint the time selection")
  if not prompt then return end
  local out, oerr = M.output_path(r, "repaint", sel_start, sel_end)
  if not out then message(r, oerr); return end
  local argv = { M.cli_path(r), "repaint", "--in", info.file, "--start", M.format_seconds(s),
    "--end", M.format_seconds(e), "--prompt", prompt, "--out", out, "--json" }
  local file = run_and_get_file(r, argv)
  if not file then return end
  local src = create_source(r, file)
  if not src then return end
  add_take(r, item, info, src, "AceStep repaint: " .. short(prompt), length_to(sel, info), "AceStep: repaint time selection")
end

--- "AceStep - Add a part over the time selection": lego (base model) over the selection of the item under it; the
--- source with the new part played over the selection becomes a new, active take on that item.
function M.lego(r)
  local sel = selection_in_source(r, "add a part to")
  if not sel then return end
  local part, prompt = M.ask_part(r, "last_prompt_lego", "AceStep: add a part over the time selection",
    "Part (drums, bass, guitar, ...):")
  if not part then return end
  local out, oerr = M.output_path(r, "lego", sel.sel_start, sel.sel_end)
  if not out then message(r, oerr); return end
  local argv = stem_argv({ M.cli_path(r), "lego", "--in", sel.info.file, "--track", part, "--start", M.format_seconds(sel.s),
    "--end", M.format_seconds(sel.e), "--out", out, "--json" }, prompt)
  local file = run_and_get_file(r, argv)
  if not file then return end
  local src = create_source(r, file)
  if not src then return end
  add_take(r, sel.item, sel.info, src, stem_take_name(part, prompt), length_to(sel, sel.info),
    "AceStep: add a part over the time selection")
end

-- The first selected item and its take's source, for the actions that work on a whole item (cover, extract); nil
-- after telling the user why (nothing selected, no usable source, longer than the model takes).
local function selected_source(r, none_selected)
  if r.CountSelectedMediaItems(0) < 1 then message(r, none_selected); return nil end
  local item = r.GetSelectedMediaItem(0, 0)
  local info, err = M.take_source(r, item)
  if not info then message(r, err); return nil end
  if (info.length or 0) > M.MAX_SECONDS then
    message(r, string.format("The source is longer than %d s, the model's limit.", M.MAX_SECONDS))
    return nil
  end
  return item, info
end

--- "AceStep - Extract a stem from the selected item": extract (base model); the stem becomes a new, active take.
function M.extract(r)
  local item, info = selected_source(r, "Select the item to extract a stem from.")
  if not item then return end
  local part, prompt = M.ask_part(r, "last_prompt_extract", "AceStep: extract a stem from the selected item",
    "Stem (vocals, drums, bass, ...):")
  if not part then return end
  local out, oerr = M.output_path(r, "extract", info.position, info.position + info.item_length)
  if not out then message(r, oerr); return end
  local argv = stem_argv({ M.cli_path(r), "extract", "--in", info.file, "--track", part, "--out", out, "--json" }, prompt)
  local file = run_and_get_file(r, argv)
  if not file then return end
  local src = create_source(r, file)
  if not src then return end
  add_take(r, item, info, src, stem_take_name(part .. " stem", prompt), nil, "AceStep: extract a stem")
end

--- "AceStep - Cover selected item".
function M.cover(r)
  local item, info = selected_source(r, "Select the item to cover.")
  if not item then return end
  local prompt = M.ask_prompt(r, "last_prompt_cover", "AceStep: cover the selected item")
  if not prompt then return end
  local out, oerr = M.output_path(r, "cover", info.position, info.position + info.item_length)
  if not out then message(r, oerr); return end
  local argv = { M.cli_path(r), "cover", "--in", info.file, "--prompt", prompt, "--out", out, "--json" }
  local file = run_and_get_file(r, argv)
  if not file then return end
  local src = create_source(r, file)
  if not src then return end
  add_take(r, item, info, src, "AceStep cover: " .. short(prompt), nil, "AceStep: cover selected item")
end

--- "AceStep - Generate into time selection".
function M.generate(r)
  local sel_start, sel_end = M.time_selection(r)
  if not sel_start then message(r, "Make a time selection where the new audio should go."); return end
  local track = M.target_track(r)
  if not track then message(r, "Select the track to generate on."); return end
  local length = sel_end - sel_start
  local duration = M.round_up_tenth(length)
  if duration < M.MIN_GENERATE_SECONDS then
    message(r, string.format("The time selection is %s s long; the engine generates at least %d s. "
      .. "Make a longer selection.", M.format_seconds(math.floor(length * 1000 + 0.5) / 1000), M.MIN_GENERATE_SECONDS))
    return
  end
  if duration > M.MAX_GENERATE_SECONDS then
    message(r, string.format("The time selection is longer than %d s, the longest the engine generates.",
      M.MAX_GENERATE_SECONDS))
    return
  end
  local bpm = math.floor(r.TimeMap_GetDividedBpmAtTime(sel_start) + 0.5)
  local num, denom = r.TimeMap_GetTimeSigAtTime(0, sel_start)
  local prompt = M.ask_prompt(r, "last_prompt_generate", "AceStep: generate into the time selection")
  if not prompt then return end
  local out, oerr = M.output_path(r, "generate", sel_start, sel_end)
  if not out then message(r, oerr); return end
  local argv = { M.cli_path(r), "generate", "--prompt", prompt, "--duration", M.format_seconds(duration),
    "--bpm", tostring(bpm) }
  local ts = M.time_signature_arg(num, denom)
  if ts then argv[#argv + 1] = "--time-signature"; argv[#argv + 1] = ts end
  argv[#argv + 1] = "--out"; argv[#argv + 1] = out; argv[#argv + 1] = "--json"
  local file = run_and_get_file(r, argv)
  if not file then return end
  local src = create_source(r, file)
  if not src then return end
  r.Undo_BeginBlock()
  local item = r.AddMediaItemToTrack(track)
  local take = r.AddTakeToMediaItem(item)
  r.SetMediaItemTake_Source(take, src)
  r.GetSetMediaItemTakeInfo_String(take, "P_NAME", "AceStep: " .. short(prompt), true)
  r.SetMediaItemInfo_Value(item, "D_POSITION", sel_start)
  r.SetMediaItemInfo_Value(item, "D_LENGTH", length)
  r.Undo_EndBlock("AceStep: generate into time selection", -1)
  r.UpdateArrange()
end

--- "AceStep - Settings": the CLI's path (empty = `acestep` on PATH).
function M.settings(r)
  local current = r.GetExtState(M.EXT_SECTION, M.EXT_CLI_PATH) or ""
  local ok, value = r.GetUserInputs("AceStep settings", 1,
    "acestep CLI path (empty = on PATH):,separator=\n,extrawidth=420", current)
  if not ok then return end
  value = (value or ""):match("^%s*(.-)%s*$")
  if value ~= "" and not r.file_exists(value) then
    message(r, "No file at:\n" .. value .. "\n\nThe setting was not changed.")
    return
  end
  r.SetExtState(M.EXT_SECTION, M.EXT_CLI_PATH, value, true)
  message(r, value == "" and "AceStep will run `acestep` found on PATH." or ("AceStep will run:\n" .. value))
end

return M
