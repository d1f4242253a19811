"""The emulator as Discord with an Interactions Endpoint URL: it signs what it POSTs, refuses a URL
that fails the developer portal's checks, and takes the bot's HTTP answer as the callback.

The endpoints here are a few lines of aiohttp, checking signatures with PyNaCl as Discord's docs
show; paperbot's own endpoint is checked against the same emulator in its own tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from tests.discord_emulator.endpoint import USER_AGENT, EndpointRefused
from tests.discord_emulator.harness import scenario
from tests.discord_emulator.server import DiscordEmulator

Handler = Callable[[DiscordEmulator, dict[str, Any]], Awaitable[web.Response]]
NOBODY: dict[str, list[str]] = {"parse": []}


def pong() -> web.Response:
    return web.json_response({"type": 1})


async def answers_inline(emu: DiscordEmulator, interaction: dict[str, Any]) -> web.Response:
    question = interaction["data"]["options"][0]["value"]
    return web.json_response({"type": 4, "data": {"content": f"You asked: {question}", "allowed_mentions": NOBODY}})


async def answers_over_rest(emu: DiscordEmulator, interaction: dict[str, Any]) -> web.Response:
    callback = f"{emu.api_base_url}/interactions/{interaction['id']}/{interaction['token']}/callback"
    message = {"content": "Answered over REST", "allowed_mentions": NOBODY}
    async with aiohttp.ClientSession() as session, session.post(callback, json={"type": 4, "data": message}) as r:
        assert r.status == 200
    return web.Response(status=202)


async def answers_too_late(emu: DiscordEmulator, interaction: dict[str, Any]) -> web.Response:
    await asyncio.sleep(3.3)
    return await answers_inline(emu, interaction)


@contextlib.asynccontextmanager
async def endpoint(
    emu: DiscordEmulator,
    handler: Handler = answers_inline,
    *,
    checks: bool = True,
    on_ping: web.Response | None = None,
    port: int = 0,
) -> AsyncIterator[tuple[str, list[web.Request]]]:
    """An endpoint (on `port`, by default a free one) that verifies signatures unless `checks` is
    False and answers PINGs (with `on_ping` if given); yields its URL and the requests it received."""
    key = VerifyKey(bytes.fromhex(emu.public_key))
    received: list[web.Request] = []

    async def interactions(request: web.Request) -> web.Response:
        received.append(request)
        body = await request.read()
        try:
            signed = request.headers["X-Signature-Timestamp"].encode() + body
            key.verify(signed, bytes.fromhex(request.headers["X-Signature-Ed25519"]))
        except (KeyError, ValueError, BadSignatureError):
            if checks:
                return web.Response(status=401, text="invalid request signature")
        interaction = json.loads(body)
        if interaction["type"] == 1:
            return on_ping or pong()
        return await handler(emu, interaction)

    app = web.Application()
    app.router.add_post("/interactions", interactions)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/interactions", received
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def emulator() -> AsyncIterator[DiscordEmulator]:
    emu = await DiscordEmulator().start()
    try:
        yield emu
    finally:
        await emu.stop()


@scenario
async def test_an_endpoint_that_checks_signatures_and_answers_ping_is_accepted_and_gets_signed_posts() -> None:
    async with emulator() as emu, endpoint(emu) as (url, received):
        await emu.use_endpoint(url)
        asked = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        reply = await emu.reply_to(asked)
        assert reply.text() == "You asked: What is COCOA?"
        assert reply.method == "POST" and reply.status == 200
        assert reply.payload["type"] == 4
        assert emu.messages, "the inline answer is a message in the channel, as a REST callback's is"
        pings, posted = received[:2], received[2]
        assert [p.headers["User-Agent"] for p in pings] == [USER_AGENT, USER_AGENT]
        assert posted.headers["Content-Type"] == "application/json"
        assert 0 <= reply.at - emu.dispatched_at(asked) < 3
        assert emu.violations == []


@scenario
async def test_an_endpoint_that_accepts_a_bad_signature_is_refused() -> None:
    async with emulator() as emu, endpoint(emu, checks=False) as (url, _):
        with pytest.raises(EndpointRefused, match=r"invalid signature.*401"):
            await emu.use_endpoint(url)
        assert emu.endpoint.url is None, "interactions still go to the gateway"


@pytest.mark.parametrize(
    ("pong_reply", "complaint"),
    [
        (web.json_response({"type": 4, "data": {"content": "pong"}}), "answered the PING with 200"),
        (web.Response(text='{"type": 1}'), "text/plain"),
        (web.json_response({"type": 1}, status=201), "answered the PING with 201"),
    ],
    ids=["wrong type", "not JSON", "wrong status"],
)
@scenario
async def test_an_endpoint_that_answers_ping_wrongly_is_refused(pong_reply: web.Response, complaint: str) -> None:
    async with emulator() as emu, endpoint(emu, on_ping=pong_reply) as (url, _):
        with pytest.raises(EndpointRefused, match=complaint):
            await emu.use_endpoint(url)


@scenario
async def test_an_endpoint_still_starting_is_tried_again_until_it_answers() -> None:
    with socket.socket() as s:  # a port free a moment ago: nothing listens on it yet
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with emulator() as emu:
        saving = asyncio.create_task(emu.use_endpoint(f"http://127.0.0.1:{port}/interactions"))
        await asyncio.sleep(0.4)
        assert not saving.done(), "connection refused: the bot is still starting"
        async with endpoint(emu, port=port) as (url, _):
            await asyncio.wait_for(saving, 5)
            assert emu.endpoint.url == url


@scenario
async def test_a_bot_that_answers_over_rest_and_202_is_read_as_its_rest_callback() -> None:
    async with emulator() as emu, endpoint(emu, answers_over_rest) as (url, _):
        await emu.use_endpoint(url)
        asked = await emu.slash(emu.bob, "ask", question="anything from 2021?")
        reply = await emu.reply_to(asked)
        assert reply.text() == "Answered over REST"
        await emu.endpoint_settled()
        callbacks = [r for r in emu.requests if r.path.endswith("/callback")]
        assert len(callbacks) == 1, "a 202 adds no callback of its own"
        assert emu.violations == []


@scenario
async def test_a_burst_goes_out_at_once_and_every_member_is_answered() -> None:
    async with emulator() as emu, endpoint(emu) as (url, _):
        await emu.use_endpoint(url)
        asked = [await emu.slash(emu.alice, "ask", question=f"question {n}") for n in range(50)]
        assert not any(r.path.endswith("/callback") for r in emu.requests), "interact does not wait for the POST"
        replies = await emu.replies_to(asked)
        assert [r.text() if r else None for r in replies] == [f"You asked: question {n}" for n in range(50)]


@scenario
async def test_an_endpoint_answering_after_three_seconds_fails_the_interaction() -> None:
    async with emulator() as emu, endpoint(emu, answers_too_late) as (url, _):
        await emu.use_endpoint(url)
        asked = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        await emu.endpoint_settled()
        assert [r for r in emu.requests if r.path.endswith("/callback")] == []
        assert len(emu.violations) == 1
        assert f"interaction {asked['id']}" in emu.violations[0] and "within 3 s" in emu.violations[0]


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        (web.Response(status=401), "refused with 401"),
        (web.json_response({"content": "no type"}), "not an interaction response"),
        (web.Response(status=202, text="done"), "202 must have no body"),
        (web.json_response({"type": 4, "data": {"content": "hi"}}), "allowed_mentions"),
        (web.Response(body=b"--b--", headers={"Content-Type": "multipart/form-data; boundary=b"}), "multipart"),
    ],
    ids=["401", "not a response", "202 with a body", "invalid message", "a file inline"],
)
@scenario
async def test_a_wrong_answer_to_an_interaction_is_a_violation(reply: web.Response, complaint: str) -> None:
    async def wrong(emu: DiscordEmulator, interaction: dict[str, Any]) -> web.Response:
        return reply

    async with emulator() as emu, endpoint(emu, wrong) as (url, _):
        await emu.use_endpoint(url)
        await emu.slash(emu.alice, "ask", question="What is COCOA?")
        await emu.endpoint_settled()
        assert len(emu.violations) == 1 and complaint in emu.violations[0], emu.violations
        assert not any(r.path.endswith("/callback") and r.status == 200 for r in emu.requests)


@scenario
async def test_after_going_back_to_the_gateway_nothing_is_posted() -> None:
    async with emulator() as emu, endpoint(emu) as (url, received):
        await emu.use_endpoint(url)
        await emu.use_endpoint(None)
        with pytest.raises(ConnectionError, match="not connected to the gateway"):
            await emu.slash(emu.alice, "ask", question="What is COCOA?")
        assert len(received) == 2, "the two PINGs of saving the URL, nothing since"
