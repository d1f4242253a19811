"""/paper, /papers, /coauthors and /about: one paper, the list, the coauthors, the lab's figures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.publications import KINDS, counted, noun
from bot.core.text import cut
from bot.discordbot.cogs.choices import (
    coauthor_choices,
    kind_choices,
    member_choices,
    named_member,
    named_paper,
    paper_choices,
)
from bot.discordbot.embeds import about_embed, lines_embed, list_embed, paper_card, plain_card
from bot.discordbot.limits import CONTENT, NO_PINGS, escape
from bot.discordbot.views import PagesView, PaperView, sent

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot

COAUTHORS_PER_PAGE = 20


class Papers(commands.Cog):
    """Browsing the corpus: papers, coauthors, members."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    async def send_pages(
        self, interaction: discord.Interaction, title: str, items: Sequence[Any],
        render: Callable[[str, Sequence[Any], str], discord.Embed] = list_embed, page_size: int | None = None,
    ) -> None:  # fmt: skip
        """A list (papers by default), one page per embed, with Previous / Next when there is more than
        one page and a menu that opens a paper."""
        bot = self.bot
        asker = bot.asker(interaction.user.id, embeds=True)
        view = PagesView(title, items, page_size or bot.config.page_size, asker, render=render)
        embed = view.embed()
        if not view.needed:
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
            return
        callback = await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
        view.message = await sent(interaction, callback)

    @app_commands.command(name="paper", description="One paper: by title, id or acronym")
    @app_commands.describe(title="start typing a title, an id or an acronym a paper goes by")
    async def paper(self, interaction: discord.Interaction, title: str) -> None:
        bot = self.bot
        found = await named_paper(bot, interaction, title)
        if found is None:
            return
        embeds = interaction.app_permissions.embed_links
        view = PaperView(found, bot.asker(interaction.user.id, embeds))
        summary = bot.engine.summary(found)
        if embeds:
            callback = await interaction.response.send_message(embed=paper_card(found, summary), view=view,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        else:
            callback = await interaction.response.send_message(plain_card(found, summary), view=view,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        view.message = await sent(interaction, callback)

    @app_commands.command(name="papers", description="The papers, newest first")
    @app_commands.describe(year="only this year", coauthor="only with this coauthor", topic="only about this",
                           member="only this lab member's",
                           kind="only journal articles, preprints, theses...")  # fmt: skip
    async def papers(
        self, interaction: discord.Interaction, year: int | None = None, coauthor: str | None = None,
        topic: str | None = None, member: str | None = None, kind: str | None = None,
    ) -> None:  # fmt: skip
        bot = self.bot
        if await bot.cooldown_refusal(interaction):
            return
        if kind and kind not in KINDS:
            await interaction.response.send_message(
                "I know no kind of paper by that name: choose one from the list as you type.", ephemeral=True,
                allowed_mentions=NO_PINGS,
            )  # fmt: skip
            return
        limit = bot.config.max_question_chars
        found = await asyncio.to_thread(
            bot.engine.list_papers, year=year, coauthor=coauthor and coauthor[:limit], topic=topic and topic[:limit],
            member=member and member[:limit], kind=kind,
        )  # fmt: skip
        # The member's own words are echoed: escaped, so markdown or a mention in them stays inert.
        named = (str(year) if year else "", member and f"by {escape(member)}",
                 coauthor and f"with {escape(coauthor)}", topic and f"on {escape(topic)}")  # fmt: skip
        filters = [f for f in named if f]
        title = counted(kind, len(found)) + (f" ({', '.join(filters)})" if filters else "")
        if not found:
            what = f"No {noun(kind)}" + (f" matches {', '.join(filters)}" if filters else "")
            await interaction.response.send_message(
                cut(f"{what}. Try `/papers` without filters.", CONTENT), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await self.send_pages(interaction, title, found)

    @app_commands.command(name="coauthors", description="Most frequent coauthors, or the papers with one of them")
    @app_commands.describe(name="a coauthor's name, or part of it")
    async def coauthors(self, interaction: discord.Interaction, name: str | None = None) -> None:
        bot = self.bot
        if await bot.cooldown_refusal(interaction):
            return
        engine = bot.engine
        if not name:
            # Every coauthor, most frequent first, in pages: a list that stops at 25 hides the rest.
            counts = engine.coauthor_counts()
            lines = [f"{count} · {escape(person)}" for person, count in counts] or ["No coauthor."]
            title = f"{len(counts)} coauthors of {engine.corpus.name}, most frequent first"
            await self.send_pages(interaction, title, lines, lines_embed, page_size=COAUTHORS_PER_PAGE)
            return
        person = engine.match_coauthor(name[: bot.config.max_question_chars])
        if person is None:
            await interaction.response.send_message(
                "I know no coauthor by that name. Try `/coauthors` for the list.", ephemeral=True,
                allowed_mentions=NO_PINGS,
            )  # fmt: skip
            return
        shared = engine.list_papers(coauthor=person)
        title = f"{len(shared)} paper{'s' * (len(shared) != 1)} with {person}"
        await self.send_pages(interaction, title, shared)

    @app_commands.command(name="about", description="The lab's papers and figures, or one member's")
    @app_commands.describe(member="a lab member (default: the whole lab)")
    async def about(self, interaction: discord.Interaction, member: str | None = None) -> None:
        engine = self.bot.engine
        known, person = await named_member(self.bot, interaction, member, "about")
        if not known:
            return
        embed = about_embed(engine.corpus, engine.coauthor_counts(person), engine.kind_counts(person), person)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)

    @paper.autocomplete("title")
    async def _titles(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return paper_choices(self.bot, current)

    @papers.autocomplete("coauthor")
    @coauthors.autocomplete("name")
    async def _coauthors(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return coauthor_choices(self.bot, current)

    @papers.autocomplete("kind")
    async def _kinds(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return kind_choices(self.bot, current)

    @papers.autocomplete("member")
    @about.autocomplete("member")
    async def _members(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return member_choices(self.bot, current)


async def setup(bot: PaperBot) -> None:
    """Called by `load_extension`."""
    await bot.add_cog(Papers(bot))
