"""`sync`: register the slash commands with Discord, globally or in one guild (instant)."""

from __future__ import annotations

import argparse
import asyncio

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.secrets import read_token


def register(add: AddCommand) -> None:
    p = add("sync", "register the slash commands with Discord", __doc__)
    p.add_argument("--guild", type=int, help="a guild id: sync there only (takes effect at once)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    token = read_token()
    settings, engine = load(args.config)
    from bot.discordbot.runner import sync_commands
    from bot.live import LiveEngine  # imported here, as the runner: `ask` and the rest start without them

    count = asyncio.run(sync_commands(LiveEngine(settings, engine, args.config), token, args.guild))
    where = f"guild {args.guild}" if args.guild else "all guilds (global commands can take up to an hour to appear)"
    say(f"synced {count} slash commands to {where}")
    return 0
