-- @description AceStep - Repaint time selection
-- Repaints the time selection of the item under it (a new take on that item).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.repaint(reaper)
