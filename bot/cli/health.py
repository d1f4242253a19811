"""`health`: is the running bot connected to Discord? Reads the heartbeat file (the Docker HEALTHCHECK)."""

from __future__ import annotations

import argparse

from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.config import load_settings
from bot.errors import ConfigError
from bot.heartbeat import health


def register(add: AddCommand) -> None:
    p = add("health", "exit 0 if the running bot is connected", __doc__)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = load_settings(args.config).discord.heartbeat_file
    if path is None:
        raise ConfigError("discord.heartbeat_file is not set (or BOT_HEARTBEAT_FILE): the bot writes no heartbeat")
    result = health(path)
    say(result.message)
    return 0 if result.healthy else 1
