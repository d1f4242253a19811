"""`run`: the Discord bot. Needs DISCORD_TOKEN or DISCORD_TOKEN_FILE."""

from __future__ import annotations

import argparse
import asyncio

from bot.app import load
from bot.cli.command import AddCommand
from bot.secrets import read_token


def register(add: AddCommand) -> None:
    p = add("run", "run the Discord bot", __doc__)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    token = read_token()  # before loading anything: a missing token is the likeliest first mistake
    settings, engine = load(args.config)
    from bot.discordbot.runner import serve
    from bot.live import LiveEngine  # imported here, as the runner: `ask` and the rest start without them

    asyncio.run(serve(LiveEngine(settings, engine, args.config), token))
    return 0
