"""A serverless worker as Vast's templates run one: a tiny echo "model" behind Vast's worker library (pyworker).

Run by ServerlessLibrariesTest as the runtime of one rented worker instance, with the environment the instance has
(CONTAINER_ID, PUBLIC_IPADDR, VAST_TCP_PORT_<WORKER_PORT>, WORKER_PORT, REPORT_ADDR, MASTER_TOKEN). PYTHONPATH holds
vast-cli's `vastai` package, fetched at test time, and the `Crypto` alias next to this file.
"""
import asyncio
import os
import threading

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
