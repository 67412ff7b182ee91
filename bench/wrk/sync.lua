-- An agent's sync, for wrk: POST /api/v0/agent/sync/ with the machine token in $TOKEN. With $WAIT unset (0) every
-- request is answered at once (the handler's cost); with WAIT=n and REV set to the machine's current revision the
-- server holds each one up to n seconds, as it holds an idle agent's long poll. Used by bench/wrk/sync-cost.sh.
wrk.method = "POST"
wrk.body = '{"revision":' .. (os.getenv("REV") or "0") .. ',"wait_seconds":' .. (os.getenv("WAIT") or "0")
  .. ',"instances":[],"removed":[],"orphans":[]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
