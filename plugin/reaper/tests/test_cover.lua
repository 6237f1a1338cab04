-- "AceStep - Cover selected item.lua" against the recorded fake.
local F = require("fake_reaper")
local H = require("helpers")

local SRC = "/home/user/Songs/My Song/Media/gtr take.wav"

local function project(opts)
  opts = opts or {}
  local r, P = F.new({ cli = opts.cli, user_inputs = { { value = "this guitar as a synth arp" } } })
  P.ext["AceStep/cli_path"] = "/usr/local/bin/acestep"
  local tr = F.add_track(P, { name = "Gtr" })
  local item = F.add_item(P, tr, { pos = 4, len = 12, selected = opts.selected ~= false,
    takes = { { source = F.source(SRC, { length = 20 }), offs = 1.25, rate = opts.rate } } })
  return r, P, item
end

return {
  { "runs `acestep cover` on the take's source file", function()
    local r, P = project()
    H.run_script("Cover selected item", r)
    local out = "/home/user/Songs/My Song/AceStep/cover_0m04.000s-0m16.000s_" .. H.stamp() .. ".wav"
    H.eq(P.exec[1].argv, { "/usr/local/bin/acestep", "cover", "--in", SRC, "--prompt", "this guitar as a synth arp",
      "--out", out, "--json" }, "argv")
    H.eq(P.exec[1].line:sub(1, 60), "'/usr/local/bin/acestep' 'cover' '--in' '/home/user/Songs/My", "shell line")
    H.eq(P.ext["AceStep/last_prompt_cover"], "this guitar as a synth arp", "saved prompt")
  end },

  { "adds the cover as the active take with the original start offset, one undo step", function()
    local r, P, item = project()
    H.run_script("Cover selected item", r)
    H.eq(#item.takes, 2, "takes")
    H.near(item.takes[2].offs, 1.25, "start offset")
    H.eq(item.active, 2, "active take")
    H.near(item.len, 12, "item length unchanged")
    H.assert_one_undo_block(P)
    H.eq(P.undo_desc, "AceStep: cover selected item", "undo text")
  end },

  { "no selected item: a message, no CLI", function()
    local r, P = project({ selected = false })
    H.run_script("Cover selected item", r)
    H.contains(P.messages[1], "Select the item", "message")
    H.eq(#P.exec, 0, "CLI runs")
    H.assert_untouched(P)
  end },

  { "playrate other than 1 is refused", function()
    local r, P = project({ rate = 0.5 })
    H.run_script("Cover selected item", r)
    H.contains(P.messages[1], "playrate", "message")
    H.eq(#P.exec, 0, "CLI runs")
  end },

  { "CLI failure: message, nothing changed", function()
    local r, P, item = project({ cli = F.cli_fail(3, "No engine answered on pipe acestep-engine-user.") })
    H.run_script("Cover selected item", r)
    H.contains(P.messages[1], "exit code 3", "message")
    H.contains(P.messages[1], "no engine answered", "exit code explained")
    H.contains(P.messages[1], "No engine answered on pipe", "stderr shown")
    H.assert_untouched(P)
    H.eq(#item.takes, 1, "takes")
  end },
}
