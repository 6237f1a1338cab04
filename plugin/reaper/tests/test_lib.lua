-- AceStep_lib.lua's pure helpers, the settings action, and the fake's coverage of the API the scripts use.
local F = require("fake_reaper")
local H = require("helpers")
local lib = H.lib()

local function source_of(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

return {
  { "seconds are printed without float noise or trailing zeros", function()
    H.eq(lib.format_seconds(4.5), "4.5")
    H.eq(lib.format_seconds(12), "12")
    H.eq(lib.format_seconds(0.1 + 0.2), "0.3")
    H.eq(lib.format_seconds(1 / 3), "0.333333")
    H.eq(lib.format_seconds(-0.0000001), "0")
  end },

  { "durations round up to the 0.1 s grid", function()
    H.near(lib.round_up_tenth(7.83), 7.9, "7.83")
    H.near(lib.round_up_tenth(8.0000000001), 8, "float noise")
    H.near(lib.round_up_tenth(6.01), 6.1, "6.01")
  end },

  { "time signatures the engine knows", function()
    H.eq(lib.time_signature_arg(4, 4), "4")
    H.eq(lib.time_signature_arg(2, 4), "2")
    H.eq(lib.time_signature_arg(3, 4), "3")
    H.eq(lib.time_signature_arg(6, 8), "6")
    H.eq(lib.time_signature_arg(3, 8), nil)
    H.eq(lib.time_signature_arg(5, 4), nil)
    H.eq(lib.time_signature_arg(12, 8), nil)
  end },

  { "POSIX quoting survives quotes, dollars and backslashes", function()
    H.eq(lib.quote_posix("it's"), "'it'\\''s'")
    local words = { "plain", "with space", "it's", 'say "hi"', "$HOME `x` \\n ;&|", "", "''" }
    local line = lib.command_line_posix(words)
    H.eq(F.decode_posix(line), words, "decoded")
  end },

  { "Windows quoting follows the C-runtime rules", function()
    H.eq(lib.quote_windows("plain"), "plain")
    H.eq(lib.quote_windows("a b"), '"a b"')
    H.eq(lib.quote_windows('say "hi"'), '"say \\"hi\\""')
    H.eq(lib.quote_windows("C:\\dir\\"), "C:\\dir\\", "no blanks: untouched")
    H.eq(lib.quote_windows("C:\\my dir\\"), '"C:\\my dir\\\\"', "trailing backslash doubled before the quote")
    H.eq(lib.quote_windows(""), '""')
    local argv = { "C:\\Program Files\\x.exe", "a b", 'q"q', "back\\\\slash\\", "", 'x\\"y', "tab\there" }
    H.eq(F.decode_windows(lib.command_line_windows(argv)), argv, "round trip")
  end },

  { "JSON: the files list, escapes and noise before the object", function()
    local files = lib.result_files('progress...\n{"files":["/a/b c.wav","C:\\\\x\\\\\\"q\\".wav"],"seed":42}')
    H.eq(files, { "/a/b c.wav", 'C:\\x\\"q".wav' })
    H.eq(lib.result_files('{"files":[{"path":"/x.wav","seed":1}]}'), { "/x.wav" }, "objects with a path")
    H.eq(lib.result_files('{ "other": {"files": 1}, "files" : [ "\\u00e9\\ud83c\\udfb5.wav" ] }'),
      { "\u{e9}\u{1F3B5}.wav" }, "unicode escapes")
    local none, err = lib.result_files("error: no engine")
    H.eq(none, nil)
    H.contains(err, "no JSON")
    local bad, err2 = lib.result_files('{"files":["unterminated')
    H.eq(bad, nil)
    H.contains(err2, "bad JSON")
    H.eq((lib.result_files('{"files":[]}')), nil, "empty list")
  end },

  { "result names carry the span and the time", function()
    H.eq(lib.output_name("repaint", 75.25, 3600.5, H.NOW),
      "repaint_1m15.250s-60m00.500s_" .. os.date("%Y%m%d-%H%M%S", H.NOW) .. ".wav")
  end },

  { "an existing result name gets a number", function()
    local r, P = F.new()
    local first = "/home/user/Songs/My Song/AceStep/" .. lib.output_name("cover", 0, 1, H.NOW)
    P.fs[first] = {}
    H.eq(lib.output_path(r, "cover", 0, 1, H.NOW), (first:gsub("%.wav$", "_2.wav")))
  end },

  { "an unsaved project writes next to the project media path", function()
    local r = F.new({ project_file = "", project_path = "/home/user/REAPER Media" })
    H.eq(lib.output_dir(r), "/home/user/REAPER Media/AceStep")
  end },

  { "settings: saves the CLI path, refuses a missing file, empty = PATH", function()
    local r, P = F.new({ user_inputs = { { value = " /opt/acestep/acestep " }, { value = "/missing" }, { value = "" } } })
    P.fs["/opt/acestep/acestep"] = {}
    H.run_script("Settings", r)
    H.eq(P.ext["AceStep/cli_path"], "/opt/acestep/acestep", "saved")
    H.eq(lib.cli_path(r), "/opt/acestep/acestep")
    H.run_script("Settings", r)
    H.eq(P.ext["AceStep/cli_path"], "/opt/acestep/acestep", "unchanged")
    H.contains(P.messages[2], "No file", "message")
    H.run_script("Settings", r)
    H.eq(P.ext["AceStep/cli_path"], "", "cleared")
    H.eq(lib.cli_path(r), "acestep")
  end },

  { "the fake implements exactly the REAPER functions the scripts call", function()
    F.new()
    local used = {}
    for name in source_of(H.SCRIPTS_DIR .. "AceStep_lib.lua"):gmatch("r%.([%a_][%w_]*)%(") do used[name] = true end
    local actions = { "Repaint time selection", "Cover selected item", "Generate into time selection", "Settings",
      "Add a part over the time selection", "Extract a stem from the selected item" }
    for _, a in ipairs(actions) do
      local text = source_of(H.SCRIPTS_DIR .. "AceStep - " .. a .. ".lua")
      for name in text:gmatch("reaper%.([%a_][%w_]*)%(") do used[name] = true end
      H.contains(text, 'dofile(dir .. "AceStep_lib.lua")', a .. " loads the library next to it")
    end
    local missing, extra = {}, {}
    for name in pairs(used) do if not F.IMPLEMENTED[name] then missing[#missing + 1] = name end end
    for name in pairs(F.IMPLEMENTED) do if not used[name] then extra[#extra + 1] = name end end
    table.sort(missing); table.sort(extra)
    H.eq(missing, {}, "called but not in the fake")
    H.eq(extra, {}, "in the fake but never called")
  end },
}
