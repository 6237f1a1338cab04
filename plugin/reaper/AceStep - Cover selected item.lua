-- @description AceStep - Cover selected item
-- Covers the selected item's audio in the style of a prompt (a new take on that item).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.cover(reaper)
