"""What the cogs share: autocomplete choices and the look-up of a paper a member named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.core.models import Paper
from bot.core.publications import KINDS
from bot.core.text import cut, sentence_case
from bot.discordbot.limits import NO_PINGS

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot

CHOICE = 100  # Discord's limit on an autocomplete choice's name and value
TYPED = 200  # what is read of a member's typing, for autocomplete


def paper_choices(bot: PaperBot, current: str) -> list[app_commands.Choice[str]]:
    """Papers whose title, id or acronym contains what was typed."""
    return [
        app_commands.Choice(name=cut(label, CHOICE), value=paper_id[:CHOICE])
        for label, paper_id in bot.engine.complete_papers(current[:TYPED], limit=25)
    ]


def coauthor_choices(bot: PaperBot, current: str) -> list[app_commands.Choice[str]]:
    """Coauthors whose name contains what was typed, most frequent first."""
    return [app_commands.Choice(name=cut(n, CHOICE), value=n[:CHOICE])
            for n in bot.engine.complete_coauthors(current[:TYPED], limit=25)]  # fmt: skip


def member_choices(bot: PaperBot, current: str) -> list[app_commands.Choice[str]]:
    """Lab members whose name contains what was typed."""
    return [app_commands.Choice(name=cut(n, CHOICE), value=n[:CHOICE])
            for n in bot.engine.complete_members(current[:TYPED], limit=25)]  # fmt: skip


def kind_choices(bot: PaperBot, current: str) -> list[app_commands.Choice[str]]:
    """The kinds of publication the corpus has, with how many of each, that contain what was typed."""
    typed = current[:TYPED].lower()
    return [app_commands.Choice(name=f"{sentence_case(KINDS[key].many)} ({n})", value=key)
            for key, n in bot.engine.kind_counts() if typed in KINDS[key].many.lower()]  # fmt: skip


async def named_paper(bot: PaperBot, interaction: discord.Interaction, title: str) -> Paper | None:
    """The paper a member named, or None once they have been told (or slowed down)."""
    if await bot.cooldown_refusal(interaction):
        return None
    found = bot.engine.find_paper(title[: bot.config.max_question_chars])
    if found is None:
        await interaction.response.send_message(
            "I found no paper by that name. Try `/papers` for the list.", ephemeral=True, allowed_mentions=NO_PINGS
        )
    return found


async def named_member(
    bot: PaperBot, interaction: discord.Interaction, typed: str | None, command: str
) -> tuple[bool, str | None]:
    """(True, the member a member named), (True, None) when they named nobody (the whole lab), or
    (False, None) once they have been told that no lab member goes by that name."""
    person = bot.engine.match_member(typed) if typed else None
    if typed and person is None:
        await interaction.response.send_message(
            f"I know no lab member by that name. Try `/{command}` for the whole lab.", ephemeral=True,
            allowed_mentions=NO_PINGS,
        )  # fmt: skip
        return False, None
    return True, person
