-- "AceStep - Extract a stem from the selected item.lua" against the recorded fake.
local F = require("fake_reaper")
local H = require("helpers")

local SRC = "/home/user/Songs/My Song/Media/full mix.wav"

local function project(opts)
  opts = opts or {}
  local r, P = F.new({ cli = opts.cli, user_inputs = opts.user_inputs or { { value = "vocals\nlead vocals" } } })
  P.ext["AceStep/cli_path"] = "/usr/local/bin/acestep"
  local tr = F.add_track(P, { name = "Mix" })
  local item = F.add_item(P, tr, { pos = 4, len = 12, selected = opts.selected ~= false,
    takes = { { source = F.source(SRC, { length = 20 }), offs = 1.25 } } })
  return r, P, item
end

return {
  { "runs `acestep extract` with the stem on the take's source file", function()
    local r, P = project()
    H.run_script("Extract a stem from the selected item", r)
    local out = "/home/user/Songs/My Song/AceStep/extract_0m04.000s-0m16.000s_" .. H.stamp() .. ".wav"
    H.eq(P.exec[1].argv, { "/usr/local/bin/acestep", "extract", "--in", SRC, "--track", "vocals",
      "--prompt", "lead vocals", "--out", out, "--json" }, "argv")
  end },

  { "adds the stem as the active take with the original start offset, one undo step", function()
    local r, P, item = project()
    H.run_script("Extract a stem from the selected item", r)
    H.eq(#item.takes, 2, "takes")
    H.near(item.takes[2].offs, 1.25, "start offset")
    H.eq(item.active, 2, "active take")
    H.contains(item.takes[2].name, "vocals stem", "take name")
    H.assert_one_undo_block(P)
    H.eq(P.undo_desc, "AceStep: extract a stem", "undo text")
  end },

  { "no selected item: a message, no CLI", function()
    local r, P = project({ selected = false })
    H.run_script("Extract a stem from the selected item", r)
    H.contains(P.messages[1], "Select the item", "message")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "an empty prompt: `acestep extract` runs without --prompt (the stem names the job)", function()
    -- Input tried: a stem but no prompt.
    local r, P, item = project({ user_inputs = { { value = "drums\n" } } })
    H.run_script("Extract a stem from the selected item", r)
    local out = "/home/user/Songs/My Song/AceStep/extract_0m04.000s-0m16.000s_" .. H.stamp() .. ".wav"
    H.eq(P.exec[1].argv, { "/usr/local/bin/acestep", "extract", "--in", SRC, "--track", "drums", "--out", out, "--json" }, "argv")
    H.eq(#P.messages, 0, "messages")
    H.eq(item.takes[2].name, "AceStep drums stem", "take name")
  end },
}
