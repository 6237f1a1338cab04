-- @description AceStep - Extract a stem from the selected item
-- Isolates one stem (vocals, drums, ...) of the selected item (base model's extract; a new take on that item).
-- Needs AceStep_lib.lua next to this file and a running AceStep engine; see docs/reaper.md.
local dir = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or ""
local lib = dofile(dir .. "AceStep_lib.lua")
lib.extract(reaper)
