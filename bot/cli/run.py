"""`run`: the Discord bot. Needs DISCORD_TOKEN or DISCORD_TOKEN_FILE."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.app import load
from bot.live import LiveEngine
from bot.secrets import read_token


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="run the Discord bot", description=__doc__)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    token = read_token()  # before loading anything: a missing token is the likeliest first mistake
    settings, engine = load(args.config)
    from bot.discordbot.runner import serve

    asyncio.run(serve(LiveEngine(settings, engine, args.config), token))
    return 0
