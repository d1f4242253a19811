"""The least an HTTP interactions endpoint can do for /ask: check Discord's signature, send a line of text back.

`python -m benchmarks.discord_latency --endpoint-workers 2 --floor` runs it through the same bursts as
paperbot's endpoint, in the same run, with as many processes sharing the port
(BOT_ENDPOINT_WORKERS): what the emulator, aiohttp and the signature check alone cost on this
machine. Whatever paperbot's endpoint adds is the difference.
"""

from __future__ import annotations

import multiprocessing
import os

import orjson
from aiohttp import web

from bot.discordbot.endpoint.routing import PING
from bot.discordbot.endpoint.server import PATH
from bot.discordbot.endpoint.signature import SIGNATURE, TIMESTAMP, Verifier


def serve(public_key: str, host: str, port: int) -> None:
    verifier = Verifier(public_key)

    async def interaction(request: web.Request) -> web.Response:
        body = await request.read()
        if not verifier.valid(request.headers.get(SIGNATURE), request.headers.get(TIMESTAMP), body):
            return web.Response(status=401)
        if orjson.loads(body).get("type") == PING:
            reply: dict[str, object] = {"type": PING}
        else:
            reply = {"type": 4, "data": {"content": "A line of text.", "allowed_mentions": {"parse": []}}}
        return web.Response(body=orjson.dumps(reply), content_type="application/json")

    app = web.Application()
    app.router.add_post(PATH, interaction)
    web.run_app(app, host=host, port=port, reuse_port=True, print=None, access_log=None)


def main() -> None:
    env = os.environ
    args = (env["BOT_ENDPOINT_PUBLIC_KEY"], env["BOT_ENDPOINT_HOST"], int(env["BOT_ENDPOINT_PORT"]))
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=serve, args=args) for _ in range(int(env["BOT_ENDPOINT_WORKERS"]))]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
