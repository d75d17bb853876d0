-- Requests a path template ("/api/v1/songs/%d/") with ids drawn at random from the file
-- BENCH_IDS_FILE (one id a line: ids the caller may see, so every answer is a 2xx).
-- BENCH_METHOD sets the method (GET by default); BENCH_TOGGLE=1 alternates PUT and DELETE
-- of the same id (a like, then its unlike: both are writes for a listener who likes none
-- of them). BENCH_SEED seeds the draws: the harness gives every wrk run its own (see
-- `run.draw_seed`), the same in every bench run, so that no run replays the requests of one
-- before it (whose answers the cache may still hold) and every bench run asks the same.
local template = os.getenv("BENCH_PATH")
local method = os.getenv("BENCH_METHOD") or "GET"
local toggle = os.getenv("BENCH_TOGGLE") == "1"
local ids = {}
local counter = 0
local last_path = nil

local ids_file = os.getenv("BENCH_IDS_FILE")
if ids_file then
  for line in io.lines(ids_file) do
    ids[#ids + 1] = tonumber(line)
  end
end

math.randomseed(tonumber(os.getenv("BENCH_SEED") or "20261125"))

request = function()
  counter = counter + 1
  if toggle and counter % 2 == 0 then
    return wrk.format("DELETE", last_path)
  end
  local path = template
  if #ids > 0 then
    path = string.format(template, ids[math.random(1, #ids)])
  end
  last_path = path
  return wrk.format(toggle and "PUT" or method, path)
end
