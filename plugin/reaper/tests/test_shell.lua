-- The POSIX command really goes through /bin/sh: a stub `acestep` (a shell script in a folder whose name has
-- blanks and a quote) records the argv it receives, so the quoting is checked by the real shell, not by the fake.
local F = require("fake_reaper")
local H = require("helpers")
local lib = H.lib()

local function sh(cmd)
  local ok = os.execute(cmd)
  assert(ok, "shell command failed: " .. cmd)
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- A fresh folder "<tmp> it's here" with the stub CLI "ace step" in it.
local function workspace(exit_code)
  local base = os.tmpname()
  os.remove(base)
  local dir = base .. " it's here"
  sh("mkdir -p " .. lib.quote_posix(dir))
  local args_file = dir .. "/args.bin"
  local cli = dir .. "/ace step"
  local f = assert(io.open(cli, "wb"))
  f:write("#!/bin/sh\n",
    "for a in \"$@\"; do printf '%s\\0' \"$a\"; done > ", lib.quote_posix(args_file), "\n",
    "out=''; prev=''\n",
    "for a in \"$@\"; do if [ \"$prev\" = --out ]; then out=\"$a\"; fi; prev=\"$a\"; done\n",
    "echo 'progress 50%' >&2\n")
  if exit_code == 0 then
    f:write("printf 'RIFF' > \"$out\"\n", "printf '{\"files\":[\"%s\"]}\\n' \"$out\"\n")
  else
    f:write("echo 'No engine answered on pipe acestep-engine-test.' >&2\n", "exit ", exit_code, "\n")
  end
  f:close()
  sh("chmod +x " .. lib.quote_posix(cli))
  return dir, cli, args_file
end

local function cleanup(dir)
  sh("rm -rf " .. lib.quote_posix(dir))
end

local function split_nul(s)
  local list = {}
  for a in s:gmatch("([^%z]*)%z") do list[#list + 1] = a end
  return list
end

local PROMPT = [[brass "stab" $HOME `id` ; it's 100% & more \n]]

local function project(dir, cli)
  local r, P = F.new({ time_sel = { 12, 14 }, project_file = dir .. "/song.rpp",
    user_inputs = { { value = PROMPT } } })
  P.exec_real = true
  P.ext["AceStep/cli_path"] = cli
  local tr = F.add_track(P, { selected = true })
  local src = dir .. "/src \"take\" 1.wav"
  local item = F.add_item(P, tr, { pos = 10, len = 8, takes = { { source = F.source(src, { length = 30 }), offs = 2.5 } } })
  -- The fake's directory creation must make the folder for the stub to write into.
  local make = r.RecursiveCreateDirectory
  r.RecursiveCreateDirectory = function(path, x)
    sh("mkdir -p " .. lib.quote_posix(path))
    return make(path, x)
  end
  return r, P, item, src
end

return {
  { "the shell hands the CLI every argument unchanged, and the take is added", function()
    local dir, cli, args_file = workspace(0)
    local ok, err = pcall(function()
      local r, P, item, src = project(dir, cli)
      H.run_script("Repaint time selection", r)
      H.eq(P.messages, {}, "messages")
      local out = dir .. "/AceStep/repaint_0m12.000s-0m14.000s_" .. H.stamp() .. ".wav"
      H.eq(split_nul(read(args_file)), { "repaint", "--in", src, "--start", "4.5", "--end", "6.5",
        "--prompt", PROMPT, "--out", out, "--json" }, "argv received by the CLI")
      H.eq(read(out), "RIFF", "result written")
      H.eq(item.takes[2].source.file, out, "new take's source")
      H.eq(item.active, 2, "active take")
      H.assert_one_undo_block(P)
      -- The temporary script and its output files are gone.
      local script = P.exec[1].cmdline:match("^/bin/sh (%S+)$")
      H.eq(io.open(script, "rb"), nil, "temporary script removed")
    end)
    cleanup(dir)
    if not ok then error(err, 0) end
  end },

  { "the CLI's stderr and exit code reach the message; nothing changes", function()
    local dir, cli = workspace(3)
    local ok, err = pcall(function()
      local r, P, item = project(dir, cli)
      H.run_script("Repaint time selection", r)
      H.eq(#P.messages, 1, "messages")
      H.contains(P.messages[1], "exit code 3", "message")
      H.contains(P.messages[1], "No engine answered on pipe acestep-engine-test.", "stderr in the message")
      H.assert_untouched(P)
      H.eq(#item.takes, 1, "takes")
    end)
    cleanup(dir)
    if not ok then error(err, 0) end
  end },

  { "a CLI that is not there: exit code 127 explained", function()
    local r, P = F.new({ time_sel = { 12, 14 }, user_inputs = { { value = "x" } } })
    P.exec_real = true
    P.ext["AceStep/cli_path"] = "/nonexistent/acestep"
    local tr = F.add_track(P, { selected = true })
    F.add_item(P, tr, { pos = 10, len = 8, takes = { { source = F.source("/x/a.wav"), offs = 0 } } })
    H.run_script("Repaint time selection", r)
    H.contains(P.messages[1], "exit code 127", "message")
    H.contains(P.messages[1], "AceStep - Settings", "points at the settings action")
    H.assert_untouched(P)
  end },
}
