-- "AceStep - Repaint time selection.lua" against the recorded fake.
local F = require("fake_reaper")
local H = require("helpers")

local SRC = "/home/user/Songs/My Song/Media/it's a \"take\" 01.wav"
local CLI = "/opt/Ace Step/bin/acestep"

-- A selected track with one item at 10 s, 8 s long, whose take starts 2.5 s into a 30 s file; selection 12..14 s.
local function project(opts)
  opts = opts or {}
  local r, P = F.new({ time_sel = opts.time_sel or { 12, 14 }, os = opts.os,
    project_file = opts.project_file, cli = opts.cli,
    user_inputs = opts.user_inputs or { { value = "same groove, brass stab fill" } } })
  P.ext["AceStep/cli_path"] = opts.cli_path or CLI
  local tr = F.add_track(P, { name = "Gtr", selected = true })
  local item = F.add_item(P, tr, { pos = 10, len = 8,
    takes = { { source = F.source(opts.src or SRC, { length = 30, type = opts.type }), offs = 2.5,
      rate = opts.rate, midi = opts.midi } } })
  return r, P, tr, item
end

local function out_path()
  return "/home/user/Songs/My Song/AceStep/repaint_0m12.000s-0m14.000s_" .. H.stamp() .. ".wav"
end

return {
  { "runs the CLI with the exact, quoted command line", function()
    local r, P = project()
    H.run_script("Repaint time selection", r)
    H.eq(#P.exec, 1, "CLI runs")
    local rec = P.exec[1]
    H.truthy(rec.cmdline:match("^/bin/sh /tmp/lua_%w+%.sh$"), "ExecProcess runs a /bin/sh script: " .. rec.cmdline)
    H.eq(rec.timeout, 0, "ExecProcess waits until the CLI exits")
    local expected = "'/opt/Ace Step/bin/acestep' 'repaint' '--in' "
      .. "'/home/user/Songs/My Song/Media/it'\\''s a \"take\" 01.wav' '--start' '4.5' '--end' '6.5' "
      .. "'--prompt' 'same groove, brass stab fill' '--out' '" .. out_path() .. "' '--json'"
    H.eq(rec.line:sub(1, #expected), expected, "shell command")
    H.truthy(rec.line:sub(#expected + 1):match("^ >'/tmp/lua_%w+%.out' 2>'/tmp/lua_%w+%.err'$"),
      "stdout and stderr redirected to temporary files: " .. rec.line:sub(#expected + 1))
    H.eq(rec.argv, { CLI, "repaint", "--in", SRC, "--start", "4.5", "--end", "6.5",
      "--prompt", "same groove, brass stab fill", "--out", out_path(), "--json" }, "argv")
    H.eq(P.dirs["/home/user/Songs/My Song/AceStep"], true, "AceStep folder created next to the project")
    H.eq(#P.messages, 0, "messages")
  end },

  { "passes the selection in seconds of the source file (item position and take start offset)", function()
    local r, P, _, item = project({ time_sel = { 11.25, 15.125 } })
    item.takes[1].offs = 7.75
    H.run_script("Repaint time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--start"), "9", "--start = 7.75 + (11.25 - 10)")
    H.eq(F.arg_after(P.exec[1].argv, "--end"), "12.875", "--end = 7.75 + (15.125 - 10)")
  end },

  { "adds the result as the active take, aligned like the original, in one undo step", function()
    local r, P, _, item = project()
    H.run_script("Repaint time selection", r)
    H.eq(#item.takes, 2, "takes")
    local new = item.takes[2]
    H.eq(new.source.file, out_path(), "new take's source")
    H.near(new.offs, 2.5, "new take's start offset = the original take's")
    H.eq(new.rate, 1, "new take's playrate")
    H.eq(item.active, 2, "active take")
    H.contains(new.name, "same groove", "take name")
    H.eq(item.takes[1].source.file, SRC, "original take kept")
    H.near(item.pos, 10, "item position unchanged")
    H.near(item.len, 8, "item length unchanged")
    H.assert_one_undo_block(P)
    H.eq(P.undo_desc, "AceStep: repaint time selection", "undo text")
  end },

  { "extends the item when the repaint goes past its end", function()
    local r, P, _, item = project({ time_sel = { 16, 21.5 } }) -- item ends at 18 s
    H.run_script("Repaint time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--start"), "8.5", "--start")
    H.eq(F.arg_after(P.exec[1].argv, "--end"), "14", "--end")
    H.near(item.pos, 10, "item position")
    H.near(item.len, 11.5, "item now reaches the selection end")
    H.near(item.takes[2].offs, 2.5, "new take offset")
    H.assert_one_undo_block(P)
  end },

  { "a CLI failure shows the error and changes nothing", function()
    local r, P, _, item = project({ cli = F.cli_fail(1, "error invalidRepaintingEnd: repaintingEnd is beyond 600 s") })
    H.run_script("Repaint time selection", r)
    H.eq(#P.exec, 1, "CLI runs")
    H.eq(#P.messages, 1, "one message")
    H.contains(P.messages[1], "exit code 1", "message")
    H.contains(P.messages[1], "invalidRepaintingEnd", "message shows the CLI's stderr")
    H.contains(P.messages[1], "Nothing was changed", "message")
    H.assert_untouched(P)
    H.eq(#item.takes, 1, "takes")
  end },

  { "a reply without a result file changes nothing", function()
    local r, P = project({ cli = function() return { code = 0, stdout = '{"files":[]}', stderr = "" } end })
    H.run_script("Repaint time selection", r)
    H.contains(P.messages[1], "no file", "message")
    H.assert_untouched(P)
  end },

  { "a result file that does not exist changes nothing", function()
    local r, P = project({ cli = function()
      return { code = 0, stdout = '{"files":["/nowhere/x.wav"]}', stderr = "" }
    end })
    H.run_script("Repaint time selection", r)
    H.contains(P.messages[1], "/nowhere/x.wav", "message")
    H.assert_untouched(P)
  end },

  { "no time selection: a message, no prompt, no CLI", function()
    local r, P = project({ time_sel = { 5, 5 } })
    H.run_script("Repaint time selection", r)
    H.eq(#P.messages, 1, "one message")
    H.contains(P.messages[1], "time selection", "message")
    H.eq(#P.inputs, 0, "prompts")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "no item under the selection start: a message, no CLI", function()
    local r, P = project({ time_sel = { 2, 12 } })
    H.run_script("Repaint time selection", r)
    H.contains(P.messages[1], "No item", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },

  { "playrate other than 1: a message, no CLI", function()
    local r, P = project({ rate = 1.5 })
    H.run_script("Repaint time selection", r)
    H.contains(P.messages[1], "playrate", "message")
    H.eq(#P.inputs, 0, "prompts")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "MIDI, section and file-less sources are refused", function()
    for _, case in ipairs({ { midi = true, type = "MIDI" }, { type = "SECTION" }, { src = "", type = "WAVE" } }) do
      local r, P = project(case)
      H.run_script("Repaint time selection", r)
      H.eq(#P.messages, 1, "one message for " .. tostring(case.type))
      H.eq(#P.exec, 0, "CLI runs")
    end
  end },

  { "cancelling the prompt runs nothing", function()
    local r, P = project({ user_inputs = { { ok = false } } })
    H.run_script("Repaint time selection", r)
    H.eq(#P.exec, 0, "CLI runs")
    H.eq(#P.messages, 0, "messages")
    H.assert_untouched(P)
  end },

  { "remembers the prompt and offers it next time", function()
    local r, P = project()
    H.run_script("Repaint time selection", r)
    H.eq(P.ext["AceStep/last_prompt_repaint"], "same groove, brass stab fill", "saved prompt")
    H.eq(P.inputs[1].defaults, "", "first time: empty")
    H.contains(P.inputs[1].captions, "separator=\n", "commas allowed in the prompt")
    P.user_inputs = { { value = "again" } }
    H.run_script("Repaint time selection", r)
    H.eq(P.inputs[2].defaults, "same groove, brass stab fill", "offered the last prompt")
  end },

  { "uses acestep on PATH when no CLI path is set", function()
    local r, P = project({ cli_path = "" })
    H.run_script("Repaint time selection", r)
    H.eq(P.exec[1].argv[1], "acestep", "argv[0]")
  end },

  { "several items: the one on the selected track covering the selection start", function()
    local r, P, tr = project({ time_sel = { 13, 16 } })
    -- An item on another (unselected) track and an earlier item on the same track also overlap the selection.
    local other = F.add_track(P, { name = "Keys" })
    F.add_item(P, other, { pos = 12, len = 10, takes = { { source = F.source("/x/keys.wav"), offs = 0 } } })
    F.add_item(P, tr, { pos = 15, len = 5, takes = { { source = F.source("/x/later.wav"), offs = 0 } } })
    H.run_script("Repaint time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--in"), SRC, "source of the item covering 13 s")
    H.eq(F.arg_after(P.exec[1].argv, "--start"), "5.5", "--start")
  end },

  { "no selected track: the track of the first selected item", function()
    local r, P, tr, item = project()
    tr.selected = false
    item.selected = true
    H.run_script("Repaint time selection", r)
    H.eq(#P.exec, 1, "CLI runs")
    H.eq(#item.takes, 2, "takes")
  end },

  { "Windows: one command line quoted by the C-runtime rules", function()
    local r, P = project({ os = "Win64", project_file = "C:\\Users\\me\\My Song\\My Song.rpp",
      src = "C:\\Audio\\it's a \"take\"\\", cli_path = "C:\\Program Files\\AceStep\\acestep.exe" })
    H.run_script("Repaint time selection", r)
    local out = "C:\\Users\\me\\My Song\\AceStep\\repaint_0m12.000s-0m14.000s_" .. H.stamp() .. ".wav"
    H.eq(P.exec[1].cmdline, '"C:\\Program Files\\AceStep\\acestep.exe" repaint --in '
      .. '"C:\\Audio\\it\'s a \\"take\\"\\\\" --start 4.5 --end 6.5 --prompt "same groove, brass stab fill" '
      .. '--out "' .. out .. '" --json', "command line")
    H.eq(P.exec[1].argv, { "C:\\Program Files\\AceStep\\acestep.exe", "repaint", "--in", "C:\\Audio\\it's a \"take\"\\",
      "--start", "4.5", "--end", "6.5", "--prompt", "same groove, brass stab fill", "--out", out, "--json" },
      "argv as the CLI sees it")
    H.assert_one_undo_block(P)
  end },
}
