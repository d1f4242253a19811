"""/refresh and /reload: for the bot's owner and members with Manage Server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.text import cut
from bot.discordbot.limits import CONTENT, NO_PINGS

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot


class Admin(commands.Cog):
    """Re-reading the corpus and the config while the bot runs."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    async def admin_only(self, interaction: discord.Interaction, verb: str) -> bool:
        """True when the member may run an admin command; otherwise they are told who may, and False."""
        if self.bot.may_reload(interaction):
            await interaction.response.defer(ephemeral=True, thinking=True)
            return True
        await interaction.response.send_message(
            f"Only the bot's owner or members with Manage Server may {verb}.", ephemeral=True,
            allowed_mentions=NO_PINGS,
        )  # fmt: skip
        return False

    @app_commands.command(
        name="refresh", description="Re-read the corpus from its sources now (bot owner or Manage Server)"
    )
    async def refresh(self, interaction: discord.Interaction) -> None:
        if not await self.admin_only(interaction, "refresh"):
            return
        result = await self.bot.refresh()
        head = "Refreshed." if result.ok else "Refreshed, with problems (the old files were kept):"
        text = "\n".join([head, *result.lines])
        await interaction.followup.send(cut(text, CONTENT), ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="reload", description="Re-read the config and corpus (bot owner or Manage Server)")
    async def reload(self, interaction: discord.Interaction) -> None:
        if not await self.admin_only(interaction, "reload"):
            return
        result = await self.bot.reload()
        await interaction.followup.send(cut(result.message, CONTENT), ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: PaperBot) -> None:
    """Called by `load_extension`."""
    await bot.add_cog(Admin(bot))
