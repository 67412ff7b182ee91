"""A serverless worker as Vast's templates run one: a tiny echo "model" behind Vast's worker library (pyworker).

Run inside each worker instance by ServerlessLibrariesTest's template, which fetches this file with vast-cli's
`vastai` package and the `Crypto` alias (one archive) and starts it with the instance's environment (CONTAINER_ID,
PUBLIC_IPADDR, VAST_TCP_PORT_<WORKER_PORT>, WORKER_PORT, REPORT_ADDR, MASTER_TOKEN) plus MODEL_PORT and MODEL_LOG.
"""
import asyncio
import os
import threading

import aiohttp
from aiohttp import web

MODEL_PORT = int(os.environ["MODEL_PORT"])
LOG = os.environ["MODEL_LOG"]


def model():
    async def echo(request):
        body = await request.json()
        # a fifth of a second per request: the worker library's benchmark measures about 500 workload units/s
        await asyncio.sleep(0.2)
        return web.json_response({"echo": body, "worker": int(os.environ["CONTAINER_ID"])})

    async def health(request):
        return web.json_response({"ok": True})

    async def main():
        app = web.Application()
        app.router.add_post("/echo", echo)
        app.router.add_get("/health", health)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", MODEL_PORT).start()
        with open(LOG, "a") as f:
            f.write("echo model ready\n")
        await asyncio.Event().wait()

    asyncio.run(main())


threading.Thread(target=model, daemon=True).start()

# Debian bookworm's python3-aiohttp is 3.8. The worker library asks for AppRunner(handler_cancellation=True) (cancel a
# handler whose client went away), a parameter aiohttp 3.9 added; 3.8 takes it without a word and then drops every
# connection to the worker ("Server disconnected"), so no request is ever served. 3.8 cancels such handlers anyway,
# so on 3.8 the parameter is left out: the library gets the behaviour it asks for.
if tuple(int(x) for x in aiohttp.__version__.split(".")[:2]) < (3, 9):
    _runner_init = web.AppRunner.__init__

    def _without_handler_cancellation(self, app, *, handler_cancellation=True, **kwargs):
        _runner_init(self, app, **kwargs)

    web.AppRunner.__init__ = _without_handler_cancellation

from vastai.serverless.server.worker import (  # noqa: E402
    BenchmarkConfig,
    HandlerConfig,
    LogActionConfig,
    Worker,
    WorkerConfig,
)

Worker(
    WorkerConfig(
        model_server_url="http://127.0.0.1",
        model_server_port=MODEL_PORT,
        model_log_file=LOG,
        model_healthcheck_url="/health",
        handlers=[
            HandlerConfig(
                route="/echo",
                allow_parallel_requests=False,
                max_queue_time=120.0,
                benchmark_config=BenchmarkConfig(dataset=[{"n": 0}], runs=2, concurrency=1, do_warmup=False),
                workload_calculator=lambda payload: 100.0,
            )
        ],
        log_action_config=LogActionConfig(on_load=["echo model ready"]),
    )
).run()
