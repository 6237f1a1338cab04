-- @description AceStep - Add a part over the time selection
-- Adds a part (drums, bass, ...) played over the time selection of the item under it (base model's lego; a new take).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.lego(reaper)
