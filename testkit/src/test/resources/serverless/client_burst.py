"""A burst of requests through Vast's serverless client library, as a user of an endpoint sends them.

argv: server URL, user API key, endpoint name, number of requests, file to write the results to (one JSON line
per request: its number, the worker that answered, the echo). Prints one line per answer with the seconds since the
burst began (what ServerlessLibrariesTest shows when the burst does not end).
"""
import asyncio
import json
import ssl
import sys
import time

from vastai.serverless.client.client import CoroutineServerless

url, api_key, name, count, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]


async def main():
    client = CoroutineServerless(api_key, webserver_url=url, autoscaler_url=url, max_poll_interval=1.0)
    # the library fetches Vast's root certificate from console.vast.ai for HTTPS; this market speaks plain HTTP
    client._ssl_context = ssl.create_default_context()
    began = time.monotonic()
    async with client:
        endpoint = await client.get_endpoint(name)

        async def one(i):
            r = await endpoint.request("/echo", {"n": i})
            assert r["ok"], r
            answer = {"n": i, "worker": r["response"]["worker"], "echo": r["response"]["echo"]["n"]}
            print(f"{time.monotonic() - began:7.2f} s: request {i} answered by worker {answer['worker']}", flush=True)
            return answer

        results = await asyncio.gather(*(one(i) for i in range(count)))
    with open(out, "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")


asyncio.run(main())
