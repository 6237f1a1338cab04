-- run.lua: runs the AceStep ReaScript tests under Lua 5.4 against the recorded REAPER fake.
--   lua5.4 plugin/reaper/tests/run.lua        (from anywhere)
-- Prints one line per test and "N passed, N failed"; exits non-zero when a test fails.

local here = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./"
package.path = here .. "?.lua;" .. package.path

local h = require("helpers")
h.TESTS_DIR = here
h.SCRIPTS_DIR = here .. "../"

local files = { "test_lib", "test_repaint", "test_cover", "test_generate", "test_lego", "test_extract", "test_shell" }

local passed, failed = 0, 0
for _, file in ipairs(files) do
  local cases = require(file)
  for _, case in ipairs(cases) do
    local ok, err = xpcall(case[2], debug.traceback)
    if ok then
      passed = passed + 1
      print("ok    " .. file .. ": " .. case[1])
    else
      failed = failed + 1
      print("FAIL  " .. file .. ": " .. case[1] .. "\n" .. tostring(err))
    end
  end
end
print(string.format("%d passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
