"""What Discord's HTTP interactions endpoint would give a burst: `python -m benchmarks.http_interactions_probe`.

Not a front end: a probe for the team's decision on issue 13's burst target (p99 <= 150 ms for 200
simultaneous /ask). With an interactions endpoint URL set, Discord POSTs each interaction to the bot
and takes the HTTP response as the callback: no gateway event to parse, no REST call, no echo, and
several processes can share the port. Here `--processes` servers (aiohttp, SO_REUSEPORT) answer
/ask with the engine and paperbot's own embeds as JSON, and this process sends the bursts, as
Discord would, timing each from the POST to its response.

What it leaves out, and so underestimates: the Ed25519 signature check every request needs (PyNaCl,
not a dependency), buttons (their state would have to live outside any one process), and TLS.
With `--trivial` the servers answer a fixed line of text: what aiohttp alone costs here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import time
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks.discord_latency import QUESTIONS, free_port, percentile

HOST = "127.0.0.1"


def serve(port: int, trivial: bool, ready: Any) -> None:
    """One server process: the engine built, then /interactions answered until killed."""
    from bot.app import load
    from bot.discordbot.embeds import answer_embeds

    _, engine = load(None)
    for question in engine.suggestions:
        engine.ask(question)

    async def interaction(request: web.Request) -> web.Response:
        data = json.loads(await request.read())
        if trivial:
            reply: dict[str, Any] = {"content": "hello"}
        else:
            content, embeds = answer_embeds(engine.ask(data["data"]["options"][0]["value"]))
            reply = {"content": content or None, "embeds": [e.to_dict() for e in embeds],
                     "allowed_mentions": {"parse": []}}  # fmt: skip
        return web.Response(body=json.dumps({"type": 4, "data": reply}), content_type="application/json")

    app = web.Application()
    app.router.add_post("/interactions", interaction)
    ready.set()
    web.run_app(app, host=HOST, port=port, reuse_port=True, print=None, access_log=None)


async def bursts(port: int, members: int, count: int) -> list[float]:
    """Each burst's p99 (ms): `members` interactions POSTed at once, each timed to its response."""
    url = f"http://{HOST}:{port}/interactions"
    out = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def one(body: bytes) -> float:
            start = time.perf_counter()
            async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
                await response.read()
                assert response.status == 200
            return (time.perf_counter() - start) * 1000

        for b in range(count + 1):  # the first burst opens the connections: not counted
            bodies = [json.dumps({"type": 2, "id": str(i), "member": {"user": {"id": str(1000 + i)}},
                                  "data": {"name": "ask", "options": [
                                      {"name": "question", "value": QUESTIONS[(i + b) % len(QUESTIONS)]}]}}).encode()
                      for i in range(members)]  # fmt: skip
            times = await asyncio.gather(*(one(body) for body in bodies))
            if b:
                out.append(percentile(list(times), 0.99))
            await asyncio.sleep(0.5)
    return out


def run(processes: int, trivial: bool, members: int, count: int) -> list[float]:
    """Start the servers, time the bursts, stop the servers."""
    port = free_port(HOST)
    context = multiprocessing.get_context("spawn")
    ready = [context.Event() for _ in range(processes)]
    servers = [context.Process(target=serve, args=(port, trivial, r), daemon=True) for r in ready]
    for server in servers:
        server.start()
    try:
        for r in ready:
            r.wait(60)
        time.sleep(1.0)  # the last one binding its port
        return asyncio.run(bursts(port, members, count))
    finally:
        for server in servers:
            server.kill()
            server.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="each configuration this many times, alternated")
    args = parser.parse_args()
    configs = [("aiohttp alone, 1 process", 1, True), ("paperbot, 1 process", 1, False),
               ("paperbot, 2 processes", 2, False), ("paperbot, 3 processes", 3, False)]  # fmt: skip
    results: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    for _ in range(args.rounds):
        for name, processes, trivial in configs:
            results[name] += run(processes, trivial, args.members, args.bursts)
    print(f"{args.rounds} x {args.bursts} bursts of {args.members} /ask, HTTP interactions, p99 per burst:")
    for name, p99s in results.items():
        print(f"- {name}: median {statistics.median(p99s):.1f} ms, range {min(p99s):.1f}–{max(p99s):.1f} ms")


if __name__ == "__main__":
    main()
