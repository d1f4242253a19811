"""Starting the bot: endpoints, token, signals, and errors as one line each."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import discord

from bot.discordbot.client import PaperBot
from bot.discordbot.endpoint.processes import Processes
from bot.discordbot.urls import use_endpoints
from bot.errors import ConfigError
from bot.live import LiveEngine
from bot.redact import install as install_redaction
from bot.secrets import WHERE

log = logging.getLogger("paperbot.discord")


async def serve(live: LiveEngine, token: str) -> None:
    """Run until the connection closes or SIGTERM/SIGINT arrives; SIGHUP reloads config and corpus.
    With `discord.endpoint` set, the HTTP interactions endpoint's processes run beside it."""
    use_endpoints(live.settings.discord)
    install_redaction([token])
    endpoint = live.settings.discord.endpoint
    processes = Processes(endpoint, live.config_path) if endpoint is not None else None
    client = PaperBot(live, shared=processes.sockets if processes else None,
                      companions=processes.alive if processes else None)  # fmt: skip
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    tasks: set[asyncio.Task[object]] = set()  # signal handlers' tasks, kept until done

    def later(coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    def stop(name: str) -> None:
        log.info("%s received: closing the connection", name)
        stopping.set()
        if processes is not None:
            processes.stop_watching()  # a Ctrl-C stops them too: not to be started again
        later(client.close())

    def reload() -> None:
        log.info("SIGHUP received: reloading config and corpus")
        later(client.reload())

    for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop, name)
    with contextlib.suppress(NotImplementedError, AttributeError):
        loop.add_signal_handler(signal.SIGHUP, reload)
    if processes is not None:
        processes.start()
    try:
        async with client:
            await client.start(token, reconnect=True)
    except discord.LoginFailure:
        raise ConfigError(f"Discord rejected the token: {WHERE} (a current bot token)") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "Discord refused the message-content intent: enable it for the bot in the developer portal, "
            "or set discord.message_content_intent: false"
        ) from None
    finally:
        if not client.is_closed():
            await client.close()
        if processes is not None:
            await processes.stop()
    if stopping.is_set():
        log.info("stopped cleanly")


async def sync_commands(live: LiveEngine, token: str, guild_id: int | None) -> int:
    """Log in, register the slash commands globally or in one guild, and log out."""
    use_endpoints(live.settings.discord)
    install_redaction([token])
    client = PaperBot(live)  # its setup_hook, run by login, registers the commands
    try:
        await client.login(token)
        if guild_id:
            guild = discord.Object(id=guild_id)
            client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
        else:
            synced = await client.tree.sync()
    except discord.LoginFailure:
        raise ConfigError(f"Discord rejected the token: {WHERE} (a current bot token)") from None
    finally:
        await client.close()
    return len(synced)
