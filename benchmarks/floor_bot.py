"""The least a discord.py bot can do for /ask: one line of text back, no engine, no cards, no buttons.

`python -m benchmarks.discord_latency --floor` runs it through the same bursts as paperbot, in the
same run, so paperbot's figures can be read against what discord.py and aiohttp alone cost on the
machine: whatever paperbot adds is the difference. Pointed at the emulator by the same environment
overrides as the bot (BOT_API_BASE_URL, BOT_GATEWAY_URL, DISCORD_TOKEN).
"""

from __future__ import annotations

import os

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

NO_PINGS = discord.AllowedMentions.none()


class FloorBot(discord.AutoShardedClient):
    """Answers /ask with a line of text, the way paperbot's client connects (sharded, default intents)."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="ask", description="Ask about the papers, in plain words")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.send_message(f"You asked: {question}", allowed_mentions=NO_PINGS)


if __name__ == "__main__":
    discord.http.Route.BASE = os.environ["BOT_API_BASE_URL"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["BOT_GATEWAY_URL"])
    FloorBot().run(os.environ["DISCORD_TOKEN"], log_handler=None)
