"""The least an HTTP interactions endpoint can do for /ask: check Discord's signature, send a line of text back.

`python -m benchmarks.discord_latency --endpoint-workers 2 --floor` runs it through the same bursts as
paperbot's endpoint, in the same run, with as many processes sharing the port
(BOT_ENDPOINT_WORKERS): what the emulator, aiohttp and the signature check alone cost on this
machine. Whatever paperbot's endpoint adds is the difference.

With `--cards`, it answers with paperbot's own reply instead (its cards and buttons, as paperbot's
endpoint returns them), computed once per distinct question and kept as bytes: what the emulator,
aiohttp and the signature check cost with replies of paperbot's size, and nothing of paperbot's own
work per question (engine, flood guard, conversations, building the cards). With `--cards --engine`,
the engine answers every question again before the kept bytes are sent: the least any bot giving
paperbot's answers could cost.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys

import orjson
from aiohttp import web

from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.discordbot.endpoint.ask import response
from bot.discordbot.endpoint.routing import PING
from bot.discordbot.endpoint.server import PATH
from bot.discordbot.endpoint.signature import SIGNATURE, TIMESTAMP, Verifier
from bot.discordbot.replies import answer_reply
from bot.discordbot.views import Asker

LINE = orjson.dumps({"type": 4, "data": {"content": "A line of text.", "allowed_mentions": {"parse": []}}})


def paperbot_replies(engine: Engine, questions: list[str]) -> dict[str, bytes]:
    """Each question's response as paperbot's endpoint sends it (cards, buttons), as bytes."""
    settings = engine.settings

    async def build() -> dict[str, bytes]:  # a view needs a running event loop
        replies = {}
        for question in questions:
            asker = Asker(1, settings.discord.view_timeout_seconds, lambda: engine)
            reply = answer_reply(engine.ask(question), asker, settings.reply, settings.discord.page_size)
            replies[question] = orjson.dumps(response(reply))
            if reply.view is not None:
                reply.view.stop()
        return replies

    return asyncio.run(build())


def serve(public_key: str, host: str, port: int, cards: bool, engine_too: bool) -> None:
    verifier = Verifier(public_key)
    if cards:
        from benchmarks.discord_latency import QUESTIONS

        settings = load_settings()
        engine = Engine(load_corpus(settings.corpus), settings, load_glossary(settings.glossary))
        replies = paperbot_replies(engine, QUESTIONS)

    async def interaction(request: web.Request) -> web.Response:
        body = await request.read()
        if not verifier.valid(request.headers.get(SIGNATURE), request.headers.get(TIMESTAMP), body):
            return web.Response(status=401)
        payload = orjson.loads(body)
        if payload.get("type") == PING:
            reply = orjson.dumps({"type": PING})
        elif cards:
            question = payload["data"]["options"][0]["value"]
            if engine_too:
                engine.ask(question)
            reply = replies[question]
        else:
            reply = LINE
        return web.Response(body=reply, content_type="application/json")

    app = web.Application()
    app.router.add_post(PATH, interaction)
    web.run_app(app, host=host, port=port, reuse_port=True, print=None, access_log=None)


def main() -> None:
    env = os.environ
    args = (env["BOT_ENDPOINT_PUBLIC_KEY"], env["BOT_ENDPOINT_HOST"], int(env["BOT_ENDPOINT_PORT"]),
            "--cards" in sys.argv[1:], "--engine" in sys.argv[1:])  # fmt: skip
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=serve, args=args) for _ in range(int(env["BOT_ENDPOINT_WORKERS"]))]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
