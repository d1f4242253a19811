"""/stats: the lab's or a member's papers per year and most frequent coauthors, as a picture."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.text import cut
from bot.discordbot.cogs.choices import member_choices, named_member
from bot.discordbot.embeds import stats_embed
from bot.discordbot.limits import ATTACHMENT_DESCRIPTION, CONTENT
from bot.discordbot.replies import Reply
from bot.render.chart import stats_picture

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot

FILENAME = "paperbot-stats.png"


class Stats(commands.Cog):
    """A picture of a body of work."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description="Papers per year and most frequent coauthors, as a picture")
    @app_commands.describe(member="a lab member (default: the whole lab)")
    async def stats(self, interaction: discord.Interaction, member: str | None = None) -> None:
        bot = self.bot
        engine = bot.engine
        known, person = await named_member(bot, interaction, member, "stats")
        if not known or await bot.cooldown_refusal(interaction):
            return

        async def make() -> Reply:
            # Drawn off the event loop: the first picture also imports matplotlib.
            coauthors = engine.coauthor_counts(person)
            picture = await asyncio.to_thread(stats_picture, engine.corpus, coauthors, person)
            alt = cut(picture.description, ATTACHMENT_DESCRIPTION)
            files = [discord.File(io.BytesIO(picture.png), filename=FILENAME, description=alt)]
            if interaction.app_permissions.embed_links:
                title = f"{person or engine.corpus.name}: papers per year and coauthors"
                return Reply(None, [stats_embed(title, FILENAME)], None, files)
            return Reply(cut(picture.description, CONTENT), [], None, files)

        with bot.busy():
            await bot.respond(interaction, make)

    @stats.autocomplete("member")
    async def _members(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return member_choices(self.bot, current)


async def setup(bot: PaperBot) -> None:
    """Called by `load_extension`."""
    await bot.add_cog(Stats(bot))
