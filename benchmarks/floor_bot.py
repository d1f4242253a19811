"""The least a discord.py bot can do for /ask: one line of text back, no engine, no cards, no buttons.

With `--cards`, it sends paperbot's own reply instead (the same cards and buttons, built afresh for
every question as paperbot builds them), from answers the engine gave once per distinct question: what
the cards cost through discord.py, without the engine, the flood guard or conversations.

`python -m benchmarks.discord_latency --floor` runs both through the same bursts as paperbot, in the
same run, so paperbot's figures can be read against what discord.py and aiohttp alone cost on the
machine: whatever paperbot adds is the difference. Pointed at the emulator by the same environment
overrides as the bot (BOT_API_BASE_URL, BOT_GATEWAY_URL, DISCORD_TOKEN, BOT_CONFIG).
"""

from __future__ import annotations

import os
import sys

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.models import Answer
from bot.discordbot.replies import answer_reply
from bot.discordbot.views import Asker, sent

NO_PINGS = discord.AllowedMentions.none()


class FloorBot(discord.AutoShardedClient):
    """Answers /ask with a line of text, the way paperbot's client connects (sharded, default intents)."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="ask", description="Ask about the papers, in plain words")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.send_message(f"You asked: {question}", allowed_mentions=NO_PINGS)


class CardsBot(discord.AutoShardedClient):
    """Answers /ask with paperbot's cards and buttons, the engine asked once per distinct question."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)
        settings = load_settings()
        engine = Engine(load_corpus(settings.corpus), settings, load_glossary(settings.glossary))
        answers: dict[str, Answer] = {}

        @self.tree.command(name="ask", description="Ask about the papers, in plain words")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            answer = answers.get(question) or answers.setdefault(question, engine.ask(question))
            asker = Asker(interaction.user.id, settings.discord.view_timeout_seconds, lambda: engine)
            reply = answer_reply(answer, asker, settings.reply, settings.discord.page_size)
            callback = await interaction.response.send_message(**reply.kwargs(), allowed_mentions=NO_PINGS)
            if reply.view is not None:
                reply.view.message = await sent(interaction, callback)


if __name__ == "__main__":
    discord.http.Route.BASE = os.environ["BOT_API_BASE_URL"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["BOT_GATEWAY_URL"])
    client = CardsBot() if "--cards" in sys.argv[1:] else FloorBot()
    client.run(os.environ["DISCORD_TOKEN"], log_handler=None)
