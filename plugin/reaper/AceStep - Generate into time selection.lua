-- @description AceStep - Generate into time selection
-- Generates new audio for the time selection on the selected track (a new item).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.generate(reaper)
