"""The slash commands: /ask, /paper, /papers, /coauthors, /about, /help and /reload."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core.models import Paper
from bot.core.text import cut
from bot.discordbot.embeds import (
    about_embed,
    citation_message,
    escape,
    help_embed,
    lines_embed,
    list_embed,
    paper_embed,
)
from bot.discordbot.views import PagesView, PaperView

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot

NO_PINGS = discord.AllowedMentions.none()
CHOICE = 100  # Discord's limit on an autocomplete choice's name and value
COAUTHORS_PER_PAGE = 20


def _where(interaction: discord.Interaction) -> str:
    return f"{interaction.guild_id}/{interaction.channel_id}" if interaction.guild_id else "dm"


async def send_pages(
    bot: PaperBot, interaction: discord.Interaction, title: str, items: Sequence[Any],
    render: Callable[[str, Sequence[Any], str], discord.Embed] = list_embed, page_size: int | None = None,
) -> None:  # fmt: skip
    """A list (papers by default), one page per embed, with Previous / Next when there is more than one page."""
    size = page_size or bot.config.page_size
    view = PagesView(title, items, size, interaction.user.id, bot.config.view_timeout_seconds, render)
    if len(view.pages) == 1:
        await interaction.response.send_message(embed=view.embed(), allowed_mentions=NO_PINGS)
        return
    await interaction.response.send_message(embed=view.embed(), view=view, allowed_mentions=NO_PINGS)
    view.message = await interaction.original_response()


def register(bot: PaperBot) -> None:
    """Add every command to the bot's command tree."""
    tree = bot.tree

    @tree.command(name="ask", description="Ask about the papers, in plain words")
    @app_commands.describe(question="in plain words: a topic, a member, a coauthor, a year, a venue...")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        if await bot.cooldown_refusal(interaction):
            return
        if problem := bot.too_long(question):
            await interaction.response.send_message(problem, ephemeral=True, allowed_mentions=NO_PINGS)
            return

        async def make() -> dict[str, Any]:
            me = bot.user.id if bot.user else 0
            answer = await bot.answer(question, bot.conversations.of_interaction(interaction, me))
            bot.log_question(interaction.user, _where(interaction), answer)
            return bot.reply_kwargs(interaction, answer)

        with bot.busy():
            await bot.respond(interaction, make)

    async def paper_choices(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=cut(label, CHOICE), value=paper_id[:CHOICE])
            for label, paper_id in bot.engine.complete_papers(current[:200], limit=25)
        ]

    async def named_paper(interaction: discord.Interaction, title: str) -> Paper | None:
        """The paper a member named, or None once they have been told (or slowed down)."""
        if await bot.cooldown_refusal(interaction):
            return None
        found = bot.engine.find_paper(title[: bot.config.max_question_chars])
        if found is None:
            await interaction.response.send_message(
                "I found no paper by that name. Try `/papers` for the list.", ephemeral=True, allowed_mentions=NO_PINGS
            )
        return found

    @tree.command(name="paper", description="One paper in full: by title, id or acronym")
    @app_commands.describe(title="start typing a title, an id or an acronym a paper goes by")
    @app_commands.autocomplete(title=paper_choices)
    async def paper(interaction: discord.Interaction, title: str) -> None:
        engine = bot.engine
        found = await named_paper(interaction, title)
        if found is None:
            return
        names = engine.acronyms.get(found, ())
        intro = f"Also known as {', '.join(names)}. " if names else ""
        text = intro + cut(found.abstract, 600)
        view = PaperView(found, lambda: bot.engine, interaction.user.id, bot.config.view_timeout_seconds)
        if interaction.app_permissions.embed_links:
            embed = paper_embed(found, text, max_authors=len(found.authors) or 1)
            await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
        else:
            plain = f"{found.title}\n{found.link}\n{text}"
            await interaction.response.send_message(cut(plain, 2000), view=view, allowed_mentions=NO_PINGS)
        view.message = await interaction.original_response()

    @tree.command(name="cite", description="A paper's BibTeX entry, to paste")
    @app_commands.describe(title="start typing a title, an id or an acronym a paper goes by")
    @app_commands.autocomplete(title=paper_choices)
    async def cite(interaction: discord.Interaction, title: str) -> None:
        found = await named_paper(interaction, title)
        if found is None:
            return
        await interaction.response.send_message(citation_message(found), allowed_mentions=NO_PINGS)

    async def coauthor_choices(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=cut(name, CHOICE), value=name[:CHOICE])
            for name in bot.engine.complete_coauthors(current[:200], limit=25)
        ]

    async def member_choices(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=cut(name, CHOICE), value=name[:CHOICE])
            for name in bot.engine.complete_members(current[:200], limit=25)
        ]

    @tree.command(name="papers", description="The papers, newest first")
    @app_commands.describe(year="only this year", coauthor="only with this coauthor", topic="only about this",
                           member="only this lab member's")  # fmt: skip
    @app_commands.autocomplete(coauthor=coauthor_choices, member=member_choices)
    async def papers(
        interaction: discord.Interaction, year: int | None = None, coauthor: str | None = None,
        topic: str | None = None, member: str | None = None,
    ) -> None:  # fmt: skip
        if await bot.cooldown_refusal(interaction):
            return
        engine = bot.engine
        limit = bot.config.max_question_chars
        found = await asyncio.to_thread(
            engine.list_papers, year=year, coauthor=coauthor and coauthor[:limit], topic=topic and topic[:limit],
            member=member and member[:limit],
        )  # fmt: skip
        # The member's own words are echoed: escaped, so markdown or a mention in them stays inert.
        named = (str(year) if year else "", member and f"by {escape(member)}",
                 coauthor and f"with {escape(coauthor)}", topic and f"on {escape(topic)}")  # fmt: skip
        filters = [f for f in named if f]
        title = f"{len(found)} paper{'s' * (len(found) != 1)}" + (f" ({', '.join(filters)})" if filters else "")
        if not found:
            await interaction.response.send_message(
                cut(f"No paper matches {', '.join(filters)}. Try `/papers` without filters.", 2000),
                ephemeral=True, allowed_mentions=NO_PINGS,
            )  # fmt: skip
            return
        await send_pages(bot, interaction, title, found)

    @tree.command(name="coauthors", description="Most frequent coauthors, or the papers with one of them")
    @app_commands.describe(name="a coauthor's name, or part of it")
    @app_commands.autocomplete(name=coauthor_choices)
    async def coauthors(interaction: discord.Interaction, name: str | None = None) -> None:
        if await bot.cooldown_refusal(interaction):
            return
        engine = bot.engine
        if not name:
            # Every coauthor, most frequent first, in pages: a list that stops at 25 hides the rest.
            counts = engine.coauthor_counts()
            lines = [f"{count} · {person}" for person, count in counts] or ["No coauthor."]
            title = f"{len(counts)} coauthors of {engine.corpus.name}, most frequent first"
            await send_pages(bot, interaction, title, lines, lines_embed, page_size=COAUTHORS_PER_PAGE)
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
        await send_pages(bot, interaction, title, shared)

    @tree.command(name="about", description="The lab's papers and figures, or one member's")
    @app_commands.describe(member="a lab member (default: the whole lab)")
    @app_commands.autocomplete(member=member_choices)
    async def about(interaction: discord.Interaction, member: str | None = None) -> None:
        engine = bot.engine
        person = engine.match_member(member) if member else None
        if member and person is None:
            await interaction.response.send_message(
                "I know no lab member by that name. Try `/about` for the whole lab.", ephemeral=True,
                allowed_mentions=NO_PINGS,
            )  # fmt: skip
            return
        embed = about_embed(engine.corpus, engine.profile_facts(member=person), engine.coauthor_counts(person), person)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)

    @tree.command(name="help", description="What I can answer, with examples")
    async def help_(interaction: discord.Interaction) -> None:
        engine = bot.engine
        embed = help_embed(engine.suggestions, engine.corpus.name)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    async def admin_only(interaction: discord.Interaction, verb: str) -> bool:
        """True when the member may run an admin command; otherwise they are told who may, and False."""
        if bot.may_reload(interaction):
            await interaction.response.defer(ephemeral=True, thinking=True)
            return True
        await interaction.response.send_message(
            f"Only the bot's owner or members with Manage Server may {verb}.", ephemeral=True,
            allowed_mentions=NO_PINGS,
        )  # fmt: skip
        return False

    @tree.command(name="refresh", description="Re-read the corpus from its sources now (bot owner or Manage Server)")
    async def refresh(interaction: discord.Interaction) -> None:
        if not await admin_only(interaction, "refresh"):
            return
        result = await bot.refresh()
        head = "Refreshed." if result.ok else "Refreshed, with problems (the old files were kept):"
        text = "\n".join([head, *result.lines])
        await interaction.followup.send(cut(text, 2000), ephemeral=True, allowed_mentions=NO_PINGS)

    @tree.command(name="reload", description="Re-read the config and corpus (bot owner or Manage Server)")
    async def reload(interaction: discord.Interaction) -> None:
        if not await admin_only(interaction, "reload"):
            return
        result = await bot.reload()
        await interaction.followup.send(cut(result.message, 2000), ephemeral=True, allowed_mentions=NO_PINGS)
