"""Where discord.py connects: Discord itself, or the emulator the tests and benchmarks run."""

from __future__ import annotations

import discord.http
import yarl
from discord.gateway import DiscordWebSocket

from bot.settings import DiscordSettings


def use_endpoints(settings: DiscordSettings) -> None:
    """Point discord.py at the configured API and gateway (Discord itself unless tests say otherwise)."""
    discord.http.Route.BASE = settings.api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
