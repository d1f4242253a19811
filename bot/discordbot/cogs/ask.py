"""/ask and /help: questions in plain words, and what the bot answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.embeds import help_embed
from bot.discordbot.limits import NO_PINGS
from bot.discordbot.replies import Reply

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot


class Ask(commands.Cog):
    """Questions in plain words."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description="Ask about the papers, in plain words")
    @app_commands.describe(question="in plain words: a topic, a member, a coauthor, a year, a venue...")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        bot = self.bot
        if await bot.cooldown_refusal(interaction):
            return
        if problem := bot.too_long(question):
            await interaction.response.send_message(problem, ephemeral=True, allowed_mentions=NO_PINGS)
            return

        async def make() -> Reply:
            me = bot.user.id if bot.user else 0
            answer = await bot.answer(question, bot.conversations.of_interaction(interaction, me))
            bot.log_question(interaction.user.id, interaction.guild_id, interaction.channel_id, answer)
            return bot.answer_message(answer, interaction.user.id, interaction.app_permissions.embed_links)

        with bot.busy():
            await bot.respond(interaction, make, by_worker=True)

    @app_commands.command(name="help", description="What I can answer, with examples")
    async def help_(self, interaction: discord.Interaction) -> None:
        engine = self.bot.engine
        embed = help_embed(engine.suggestions, engine.corpus.name)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: PaperBot) -> None:
    """Called by `load_extension`."""
    await bot.add_cog(Ask(bot))
