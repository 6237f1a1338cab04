-- "AceStep - Generate into time selection.lua" against the recorded fake.
local F = require("fake_reaper")
local H = require("helpers")

local function project(opts)
  opts = opts or {}
  local r, P = F.new({ time_sel = opts.time_sel or { 32, 39.83 }, bpm = opts.bpm or 97.6, num = opts.num or 3,
    denom = opts.denom or 4, cli = opts.cli, user_inputs = { { value = "lofi piano, warm" } } })
  local tr = F.add_track(P, { name = "Piano", selected = opts.selected ~= false })
  return r, P, tr
end

return {
  { "runs `acestep generate` with the rounded-up length, tempo and time signature", function()
    local r, P = project()
    H.run_script("Generate into time selection", r)
    local out = "/home/user/Songs/My Song/AceStep/generate_0m32.000s-0m39.830s_" .. H.stamp() .. ".wav"
    H.eq(P.exec[1].argv, { "acestep", "generate", "--prompt", "lofi piano, warm", "--duration", "7.9",
      "--bpm", "98", "--time-signature", "3", "--out", out, "--json" }, "argv")
  end },

  { "inserts a new item at the selection start, trimmed to the selection, one undo step", function()
    local r, P, tr = project()
    H.run_script("Generate into time selection", r)
    H.eq(#tr.items, 1, "items on the track")
    local item = tr.items[1]
    H.near(item.pos, 32, "position")
    H.near(item.len, 7.83, "length = the selection, not the rounded duration", 1e-9)
    H.eq(#item.takes, 1, "takes")
    H.eq(item.takes[1].source.file, F.arg_after(P.exec[1].argv, "--out"), "source")
    H.near(item.takes[1].offs, 0, "start offset")
    H.assert_one_undo_block(P)
    H.eq(P.undo_desc, "AceStep: generate into time selection", "undo text")
  end },

  { "an exact length is not rounded up by float noise", function()
    local r, P = project({ time_sel = { 1.1, 9.1 } })
    H.run_script("Generate into time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--duration"), "8", "--duration")
  end },

  { "6/8 is passed; other metres are left to the model", function()
    local r, P = project({ num = 6, denom = 8, bpm = 60 })
    H.run_script("Generate into time selection", r)
    H.eq(F.arg_after(P.exec[1].argv, "--time-signature"), "6", "6/8 is passed as 6")
    H.eq(F.arg_after(P.exec[1].argv, "--bpm"), "120", "divided bpm (2x in /8)")
    local r2, P2 = project({ num = 7, denom = 8 })
    H.run_script("Generate into time selection", r2)
    H.eq(F.arg_after(P2.exec[1].argv, "--time-signature"), nil, "7/8 not passed")
    H.eq(F.arg_after(P2.exec[1].argv, "--out"):sub(-4), ".wav", "still runs")
  end },

  { "a selection shorter than 6 s: a message, no prompt, no CLI", function()
    local r, P = project({ time_sel = { 10, 15.5 } })
    H.run_script("Generate into time selection", r)
    H.contains(P.messages[1], "at least 6 s", "message")
    H.contains(P.messages[1], "5.5 s long", "message")
    H.eq(#P.inputs, 0, "prompts")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "a selection longer than 300 s: a message, no CLI", function()
    local r, P = project({ time_sel = { 0, 300.05 } })
    H.run_script("Generate into time selection", r)
    H.contains(P.messages[1], "300 s", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },

  { "no time selection: a message, no CLI", function()
    local r, P = project({ time_sel = { 0, 0 } })
    H.run_script("Generate into time selection", r)
    H.contains(P.messages[1], "time selection", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },

  { "no selected track: a message, no CLI", function()
    local r, P = project({ selected = false })
    H.run_script("Generate into time selection", r)
    H.contains(P.messages[1], "Select the track", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },

  { "CLI failure: message, no item", function()
    local r, P, tr = project({ cli = F.cli_fail(8, "invalidDuration: duration must be 6..600") })
    H.run_script("Generate into time selection", r)
    H.contains(P.messages[1], "invalidDuration", "message")
    H.eq(#tr.items, 0, "items")
    H.assert_untouched(P)
  end },
}
