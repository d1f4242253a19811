"""Running the real bot against the emulator inside a test."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bot.config import load_settings
from bot.core.engine import Engine
from bot.discordbot.client import PaperBot
from bot.discordbot.urls import use_endpoints
from bot.live import LiveEngine
from bot.settings import RefreshSettings, Settings
from tests.discord_emulator.server import DiscordEmulator

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")

_ENGINES: dict[tuple[Path, ...], Engine] = {}


def settings_for(
    emu: DiscordEmulator,
    config: Path | None = None,
    data_dir: Path | None = None,
    refresh_hours: float = 0.0,
    **discord: Any,
) -> Settings:
    """The project's settings, with the Discord section pointed at the emulator; no state kept and no
    scheduled refresh unless a test asks for them."""
    base = load_settings(config or ROOT / "config" / "config.yaml", env={})
    section = dataclasses.replace(
        base.discord, api_base_url=emu.api_base_url, gateway_url=emu.gateway_url, **discord
    )
    return dataclasses.replace(
        base, discord=section, data_dir=data_dir, refresh=RefreshSettings(every_hours=refresh_hours)
    )


@contextlib.asynccontextmanager
async def running_bot(
    config: Path | None = None,
    emu: DiscordEmulator | None = None,
    data_dir: Path | None = None,
    refresh_hours: float = 0.0,
    ready_within: float = 10.0,
    shared: Path | None = None,
    **discord: Any,
) -> AsyncIterator[tuple[DiscordEmulator, PaperBot]]:
    """An emulator and the bot connected to it, ready (every shard) within `ready_within` seconds;
    both stopped afterwards."""
    emu = emu or await DiscordEmulator().start()
    settings = settings_for(emu, config, data_dir, refresh_hours, **{"cooldown_seconds": 0.0, **discord})
    key = settings.corpus
    engine = _ENGINES.get(key) if config is None else None
    if engine is None:
        engine = Engine.from_settings(settings)
        if config is None:
            _ENGINES[key] = engine
    use_endpoints(settings.discord)
    bot = PaperBot(LiveEngine(settings, engine, config), shared=shared)
    del engine  # the bot's own: a reload must be able to free it (tests check that it does)
    task = asyncio.create_task(bot.start(emu.token))
    try:
        ready = asyncio.ensure_future(bot.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=ready_within, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            ready.cancel()
            task.result()  # the bot's own error, rather than a bare timeout
            raise RuntimeError("the bot stopped before it was ready")
        if not ready.done():
            ready.cancel()
            raise TimeoutError(f"the bot was not ready within {ready_within:g} s")
        yield emu, bot
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)
        await emu.stop()


def scenario(test: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., T]:
    """Run an async test function in its own event loop (no plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> T:
        return asyncio.run(asyncio.wait_for(test(*args, **kwargs), 60))

    return run


@dataclasses.dataclass
class EndpointProcessInTest:
    """One process of the HTTP interactions endpoint, run inside the test: its URL and its bot."""

    url: str
    bot: PaperBot


@contextlib.asynccontextmanager
async def running_endpoint(
    processes: int = 2, **discord: Any
) -> AsyncIterator[tuple[DiscordEmulator, list[EndpointProcessInTest]]]:
    """An emulator and the endpoint's processes, each on a port of its own so that a test chooses
    where an interaction arrives (`emu.use_endpoint(process.url)`); the first one's URL is saved."""
    from aiohttp import web

    from bot.discordbot.endpoint.routing import tag
    from bot.discordbot.endpoint.server import PATH, EndpointProcess, socket_path
    from bot.discordbot.endpoint.signature import Verifier

    emu = await DiscordEmulator().start()
    settings = settings_for(emu, None, None, 0.0, **{"cooldown_seconds": 0.0, **discord})
    engine = _ENGINES.get(settings.corpus) or Engine.from_settings(settings)
    _ENGINES[settings.corpus] = engine
    use_endpoints(settings.discord)
    runners: list[web.AppRunner] = []
    started: list[tuple[EndpointProcessInTest, EndpointProcess]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sockets = Path(tmp)
        try:
            for index in range(processes):
                bot = PaperBot(LiveEngine(settings, engine, None), tag=tag(index), gateway=False, shared=sockets)
                await bot.login(emu.token)
                process = EndpointProcess(bot, Verifier(emu.public_key), index, processes, sockets)
                public, sibling = web.AppRunner(process.public_app()), web.AppRunner(process.sibling_app())
                runners += [public, sibling]
                for runner in (public, sibling):
                    await runner.setup()
                site = web.TCPSite(public, "127.0.0.1", 0)
                await site.start()
                await web.UnixSite(sibling, str(socket_path(sockets, index))).start()
                port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
                started.append((EndpointProcessInTest(f"http://127.0.0.1:{port}{PATH}", bot), process))
            await emu.use_endpoint(started[0][0].url)
            yield emu, [s for s, _ in started]
        finally:
            for runner in runners:
                await runner.cleanup()
            for shown, process in started:
                await process.close()
                await shown.bot.close()
            await emu.stop()
