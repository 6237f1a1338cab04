-- "AceStep - Add a part over the time selection.lua" against the recorded fake.
local F = require("fake_reaper")
local H = require("helpers")

local SRC = "/home/user/Songs/My Song/Media/guitar loop.wav"
local CLI = "/usr/local/bin/acestep"

-- A selected track with one item at 10 s, 8 s long, whose take starts 2.5 s into a 30 s file; selection 12..14 s.
local function project(opts)
  opts = opts or {}
  local r, P = F.new({ time_sel = opts.time_sel or { 12, 14 }, cli = opts.cli,
    user_inputs = opts.user_inputs or { { value = " Drums \ntight funk drums" } } })
  P.ext["AceStep/cli_path"] = CLI
  local tr = F.add_track(P, { name = "Gtr", selected = true })
  local item = F.add_item(P, tr, { pos = 10, len = 8,
    takes = { { source = F.source(SRC, { length = 30 }), offs = 2.5 } } })
  return r, P, tr, item
end

local function out_path()
  return "/home/user/Songs/My Song/AceStep/lego_0m12.000s-0m14.000s_" .. H.stamp() .. ".wav"
end

return {
  { "runs `acestep lego` with the part and the selection in seconds of the source file", function()
    local r, P = project()
    H.run_script("Add a part over the time selection", r)
    H.eq(P.exec[1].argv, { CLI, "lego", "--in", SRC, "--track", "drums", "--start", "4.5", "--end", "6.5",
      "--prompt", "tight funk drums", "--out", out_path(), "--json" }, "argv")
    H.eq(P.inputs[1].n, 2, "asks for two values")
    H.eq(P.ext["AceStep/last_prompt_lego_part"], "drums", "saved part")
    H.eq(P.ext["AceStep/last_prompt_lego"], "tight funk drums", "saved prompt")
  end },

  { "adds the result as the active take aligned like the original, in one undo step", function()
    local r, P, _, item = project()
    H.run_script("Add a part over the time selection", r)
    H.eq(#item.takes, 2, "takes")
    H.near(item.takes[2].offs, 2.5, "start offset = the original take's")
    H.eq(item.active, 2, "active take")
    H.contains(item.takes[2].name, "drums", "take name names the part")
    H.near(item.len, 8, "item length unchanged")
    H.assert_one_undo_block(P)
    H.eq(P.undo_desc, "AceStep: add a part over the time selection", "undo text")
  end },

  { "an empty prompt: `acestep lego` runs without --prompt", function()
    -- Input tried: part "bass", prompt left empty.
    local r, P, _, item = project({ user_inputs = { { value = "bass\n" } } })
    H.run_script("Add a part over the time selection", r)
    H.eq(P.exec[1].argv, { CLI, "lego", "--in", SRC, "--track", "bass", "--start", "4.5", "--end", "6.5",
      "--out", out_path(), "--json" }, "argv")
    H.eq(item.takes[2].name, "AceStep bass", "take name")
  end },

  { "an empty part name: a message, no CLI", function()
    -- Input tried: the part field left empty.
    local r, P = project({ user_inputs = { { value = "  \ntight funk drums" } } })
    H.run_script("Add a part over the time selection", r)
    H.contains(P.messages[1], "Name the part", "message")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "the engine's refusal of an unknown part is shown and nothing changes", function()
    -- Input tried: part "cowbell", which the CLI's engine answers with invalidTrackName.
    local r, P, _, item = project({ user_inputs = { { value = "cowbell\nmore cowbell" } },
      cli = F.cli_fail(8, "acestep: invalidTrackName (--track, settings.trackName): settings.trackName 'cowbell' is not a stem the model knows") })
    H.run_script("Add a part over the time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--track"), "cowbell", "--track")
    H.contains(P.messages[1], "invalidTrackName", "message shows the CLI's stderr")
    H.assert_untouched(P)
    H.eq(#item.takes, 1, "takes")
  end },

  { "no time selection: a message, no CLI", function()
    local r, P = project({ time_sel = { 0, 0 } })
    H.run_script("Add a part over the time selection", r)
    H.contains(P.messages[1], "time selection", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },
}
