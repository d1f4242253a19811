"""/cite: a paper's BibTeX entry, to paste, with the paper's links under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.choices import named_paper, paper_choices
from bot.discordbot.embeds import citation_message
from bot.discordbot.limits import NO_PINGS
from bot.discordbot.views import link_view

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot


class Cite(commands.Cog):
    """Citations built from the corpus."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    @app_commands.command(name="cite", description="A paper's BibTeX entry, to paste")
    @app_commands.describe(title="start typing a title, an id or an acronym a paper goes by")
    async def cite(self, interaction: discord.Interaction, title: str) -> None:
        found = await named_paper(self.bot, interaction, title)
        if found is None:
            return
        links = link_view(found)
        await interaction.response.send_message(citation_message(found), allowed_mentions=NO_PINGS,
                                                view=links or discord.utils.MISSING)  # fmt: skip

    @cite.autocomplete("title")
    async def _titles(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return paper_choices(self.bot, current)


async def setup(bot: PaperBot) -> None:
    """Called by `load_extension`."""
    await bot.add_cog(Cite(bot))
