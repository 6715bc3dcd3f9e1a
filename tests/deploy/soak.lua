-- wrk's request rotation for tests/deploy/soak.py: the public pages a visitor of a city and
-- of a region opens, and the API, in turn on every connection.
local paths = {
  "/", "/leszno/", "/leszno/organisations", "/leszno/programmes", "/leszno/meetings",
  "/regions/wielkopolskie/", "/api/v1/tenants", "/leszno/organisations?q=Stowarzyszenie",
}
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
