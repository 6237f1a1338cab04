-- @description AceStep - Settings
-- Sets the path of the acestep CLI these actions run (empty = acestep on PATH).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.settings(reaper)
