"""One process of the endpoint: Discord's signed POSTs on the shared port, its siblings' on a socket of its own."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson
from aiohttp import web

from bot.discordbot.client import apology
from bot.discordbot.endpoint.ask import ask_inline, message
from bot.discordbot.endpoint.routing import PING, is_ask, owner
from bot.discordbot.endpoint.signature import SIGNATURE, TIMESTAMP, Verifier

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot

log = logging.getLogger("paperbot.endpoint")
PATH = "/interactions"
JSON = "application/json"


def socket_path(sockets: Path, index: int) -> Path:
    """Where process `index` takes interactions its siblings pass on."""
    return sockets / f"{index}.sock"


class EndpointProcess:
    """Answers the interactions that reach this process, and passes on those another one holds the state of."""

    def __init__(self, bot: PaperBot, verifier: Verifier, index: int, processes: int, sockets: Path) -> None:
        self.bot = bot
        self.verifier = verifier
        self.index = index
        self.processes = processes
        self.sockets = sockets
        self._siblings: dict[int, aiohttp.ClientSession] = {}

    def public_app(self) -> web.Application:
        """What Discord POSTs to: the Interactions Endpoint URL's path."""
        app = web.Application()
        app.router.add_post(PATH, self._signed)
        return app

    def sibling_app(self) -> web.Application:
        """What the other processes pass on, already checked, over this process' own socket."""
        app = web.Application()
        app.router.add_post(PATH, self._passed_on)
        return app

    async def close(self) -> None:
        for session in self._siblings.values():
            await session.close()

    async def _signed(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not self.verifier.valid(request.headers.get(SIGNATURE), request.headers.get(TIMESTAMP), body):
            return web.Response(status=401, text="invalid request signature")
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict):
            return web.Response(status=400, text="not an interaction")
        if payload.get("type") == PING:
            return _json({"type": PING})
        target = owner(payload, self.processes)
        if target is not None and target != self.index:
            passed = await self._pass_on(target, body)
            if passed is not None:
                return passed
        return await self._answer(payload)

    async def _passed_on(self, request: web.Request) -> web.Response:
        return await self._answer(orjson.loads(await request.read()))

    async def _pass_on(self, target: int, body: bytes) -> web.Response | None:
        """The response of the process holding the interaction's state; None when it cannot be reached
        (restarting): answered here then, without that state, rather than not at all."""
        session = self._siblings.get(target)
        if session is None:
            connector = aiohttp.UnixConnector(path=str(socket_path(self.sockets, target)))
            session = self._siblings[target] = aiohttp.ClientSession(connector=connector)
        try:
            async with session.post(f"http://process{target}{PATH}", data=body,
                                    headers={"Content-Type": JSON}) as response:  # fmt: skip
                return web.Response(status=response.status, body=await response.read(),
                                    content_type=response.content_type)  # fmt: skip
        except (aiohttp.ClientError, OSError) as err:
            log.warning("process %d could not be reached (%s): answering here", target, err)
            return None

    async def _answer(self, payload: dict[str, Any]) -> web.Response:
        bot = self.bot
        if is_ask(payload):
            try:
                with bot.busy():
                    response = await ask_inline(bot, payload)
            except Exception as err:  # the member is told, the log gets the traceback
                response = message(apology("ask", err), ephemeral=True)
            if response is not None:
                return _json(response)
        bot.take_interaction(payload)
        # Answered by discord.py with a request of its own: Discord wants 202 and no body then.
        return web.Response(status=202)


def _json(data: dict[str, Any]) -> web.Response:
    return web.Response(body=orjson.dumps(data), content_type=JSON)
