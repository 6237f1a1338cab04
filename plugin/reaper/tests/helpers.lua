-- helpers.lua: assertions and script running for the AceStep ReaScript tests.
local F = require("fake_reaper")

local H = {}

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = show(x) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return tostring(v)
end
H.show = show

function H.eq(actual, expected, what)
  if type(expected) == "table" and type(actual) == "table" then
    local same = #actual == #expected
    for i = 1, math.max(#actual, #expected) do
      if actual[i] ~= expected[i] then same = false end
    end
    if same then return end
  elseif actual == expected then
    return
  end
  error((what or "value") .. "\n  expected: " .. show(expected) .. "\n  actual:   " .. show(actual), 2)
end

function H.near(actual, expected, what, tol)
  if type(actual) ~= "number" or math.abs(actual - expected) > (tol or 1e-9) then
    error((what or "value") .. ": expected " .. tostring(expected) .. ", got " .. tostring(actual), 2)
  end
end

function H.truthy(v, what)
  if not v then error((what or "condition") .. " is false", 2) end
end

function H.contains(text, needle, what)
  if type(text) ~= "string" or not text:find(needle, 1, true) then
    error((what or "text") .. " does not contain " .. show(needle) .. ":\n" .. tostring(text), 2)
  end
end

-- The wall clock the scripts see while a test runs them (result names carry the time).
H.NOW = 1767312000

--- The time stamp in result names at H.NOW.
function H.stamp()
  return os.date("%Y%m%d-%H%M%S", H.NOW)
end

--- Runs one of the action scripts (by its REAPER action name) with `r` as the global `reaper`.
function H.run_script(name, r)
  local saved, saved_time = _G.reaper, os.time
  _G.reaper = r
  os.time = function(t) if t then return saved_time(t) end return H.NOW end
  local ok, err = pcall(dofile, H.SCRIPTS_DIR .. "AceStep - " .. name .. ".lua")
  _G.reaper, os.time = saved, saved_time
  if not ok then error(err, 0) end
end

--- The library, loaded fresh.
function H.lib()
  return dofile(H.SCRIPTS_DIR .. "AceStep_lib.lua")
end

--- Asserts that the project was not touched: no undo block, no item/take edit, no redraw.
function H.assert_untouched(P)
  H.eq(F.project_mutation_names(P), {}, "project mutations")
  H.eq(P.undo_blocks, 0, "undo blocks")
end

--- Asserts that every project edit sits inside exactly one undo block, and the redraw comes after it.
function H.assert_one_undo_block(P)
  local names = F.project_mutation_names(P)
  H.eq(names[1], "Undo_BeginBlock", "first project call")
  H.eq(names[#names - 1], "Undo_EndBlock", "last but one project call")
  H.eq(names[#names], "UpdateArrange", "last project call")
  for i, m in ipairs(P.mutations) do
    if m.kind == "project" and m.name ~= "Undo_BeginBlock" and m.name ~= "UpdateArrange" then
      H.truthy(m.in_undo, m.name .. " (call " .. i .. ") inside the undo block")
    end
  end
  H.eq(P.undo_blocks, 1, "undo blocks")
  H.eq(P.undo_depth, 0, "open undo blocks")
end

return H
