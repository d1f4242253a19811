"""Starting the endpoint's processes beside the gateway bot, restarting any that dies, stopping them all."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import shutil
import signal
import tempfile
import time
from multiprocessing.process import BaseProcess
from pathlib import Path

import discord
from aiohttp import web

from bot.app import load
from bot.discordbot.client import PaperBot
from bot.discordbot.endpoint.routing import tag
from bot.discordbot.endpoint.server import PATH, EndpointProcess, socket_path
from bot.discordbot.endpoint.signature import Verifier
from bot.discordbot.urls import use_endpoints
from bot.errors import ConfigError, PaperbotError
from bot.live import LiveEngine
from bot.redact import install as install_redaction
from bot.secrets import WHERE, read_token
from bot.settings import EndpointSettings

log = logging.getLogger("paperbot.endpoint")
CHECK_SECONDS = 2.0  # how often the supervisor looks for a process that died
MAX_WAIT = 60.0  # between restarts of a process that keeps dying (a port taken, a config broken since)


def serve_process(index: int, processes: int, config: Path | None, sockets: Path) -> None:
    """One endpoint process, until SIGTERM: the engine loaded, the bot logged in without a gateway.
    What stops it is one line in the log, as for the gateway bot, and the supervisor tries again later."""
    try:
        settings, engine = load(config)
        asyncio.run(_serve(index, processes, LiveEngine(settings, engine, config), sockets))
    except PaperbotError as err:
        log.error("endpoint process %d: %s", index + 1, err)
        raise SystemExit(1) from None
    except discord.LoginFailure:
        log.error("endpoint process %d: Discord rejected the token: %s (a current bot token)", index + 1, WHERE)
        raise SystemExit(1) from None
    except OSError as err:  # the port taken, most likely
        log.error("endpoint process %d cannot listen: %s", index + 1, err)
        raise SystemExit(1) from None


async def _serve(index: int, processes: int, live: LiveEngine, sockets: Path) -> None:
    endpoint = live.settings.discord.endpoint
    if endpoint is None:  # the config changed since the gateway process read it
        raise ConfigError("discord.endpoint.public_key is no longer set: the endpoint's processes cannot start")
    token = read_token()
    use_endpoints(live.settings.discord)
    install_redaction([token])
    bot = PaperBot(live, tag=tag(index), gateway=False, shared=sockets)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await bot.login(token)  # runs setup_hook: the commands, the views, the warm-up
    process = EndpointProcess(bot, Verifier(endpoint.public_key), index, processes, sockets)
    runners = [web.AppRunner(process.public_app(), access_log=None),
               web.AppRunner(process.sibling_app(), access_log=None)]  # fmt: skip
    for runner in runners:
        await runner.setup()
    # Every process listens on the same port: the kernel spreads Discord's connections over them.
    await web.TCPSite(runners[0], endpoint.host, endpoint.port, reuse_port=True).start()
    await web.UnixSite(runners[1], str(socket_path(sockets, index))).start()
    log.info("endpoint process %d of %d listening on %s:%d%s", index + 1, processes, endpoint.host, endpoint.port, PATH)
    try:
        await stopping.wait()
    finally:
        for runner in runners:
            await runner.cleanup()
        await process.close()
        await bot.close()


class Processes:
    """The endpoint's processes, for as long as the gateway bot runs."""

    def __init__(self, endpoint: EndpointSettings, config: Path | None) -> None:
        self.endpoint = endpoint
        self.config = config
        # Private to this user (mkdtemp: mode 0700): the sockets, the reloads' signal, the conversations.
        self.sockets = Path(tempfile.mkdtemp(prefix="paperbot-endpoint-"))
        self._context = multiprocessing.get_context("spawn")  # a fresh interpreter: no event loop or thread inherited
        self._running: list[BaseProcess] = []
        self._started: dict[int, float] = {}
        self._waits: list[float] = []  # per process: how long before the next restart, doubling while it dies
        self._watch: asyncio.Task[None] | None = None

    def _start(self, index: int) -> BaseProcess:
        process = self._context.Process(target=serve_process, name=f"paperbot-endpoint-{index}",
                                        args=(index, self.endpoint.workers, self.config, self.sockets))  # fmt: skip
        process.start()
        self._started[index] = time.monotonic()
        return process

    def start(self) -> None:
        """Start every process, and a watch that restarts one that dies."""
        self._running = [self._start(i) for i in range(self.endpoint.workers)]
        self._waits = [CHECK_SECONDS] * self.endpoint.workers
        self._watch = asyncio.create_task(self._restart_dead())

    async def _restart_dead(self) -> None:
        due = [0.0] * len(self._running)
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            now = time.monotonic()
            for index, process in enumerate(self._running):
                if process.is_alive():
                    if now - self._started[index] > MAX_WAIT:  # up long enough: it had started well
                        self._waits[index] = CHECK_SECONDS
                    continue
                if not due[index]:
                    log.warning("endpoint process %d stopped (exit code %s): starting it again in %.0f s", index + 1,
                                process.exitcode, self._waits[index])  # fmt: skip
                    due[index] = now + self._waits[index]
                elif now >= due[index]:
                    due[index] = 0.0
                    self._waits[index] = min(MAX_WAIT, self._waits[index] * 2)
                    self._running[index] = self._start(index)

    def stop_watching(self) -> None:
        """No more restarts: the bot is stopping."""
        if self._watch is not None:
            self._watch.cancel()

    async def stop(self) -> None:
        """Ask every process to finish, wait a little, then make sure; remove their sockets."""
        self.stop_watching()
        for process in self._running:
            process.terminate()
        for process in self._running:
            await asyncio.to_thread(process.join, 10)
            if process.is_alive():
                process.kill()
        shutil.rmtree(self.sockets, ignore_errors=True)

    def alive(self) -> bool:
        """Whether every process runs now."""
        return all(p.is_alive() for p in self._running)

    def pids(self) -> list[int]:
        """The processes' ids (the benchmarks read their CPU time)."""
        return [p.pid for p in self._running if p.pid is not None]
