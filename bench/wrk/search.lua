-- wrk script: POST /api/v0/bundles/ with the README's quickstart search (verified single RTX 4090s with a direct
-- port, best DLPerf per dollar first, 5 offers). The API key comes from $GPUMARKET_API_KEY.
--   GPUMARKET_API_KEY=… wrk -t2 -c64 -d15s -s bench/wrk/search.lua http://127.0.0.1:PORT/api/v0/bundles/
local key = os.getenv("GPUMARKET_API_KEY")
if key == nil or key == "" then
  error("set GPUMARKET_API_KEY to a renter's API key")
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"verified":{"eq":true},"rentable":{"eq":true},"gpu_name":{"eq":"RTX 4090"},"num_gpus":{"eq":1},'
        .. '"direct_port_count":{"gte":1},"order":[["dlperf_per_dphtotal","desc"]],"type":"on-demand","limit":5}'

-- No response() callback: it would make wrk parse every body; wrk itself prints "Non-2xx or 3xx responses".
