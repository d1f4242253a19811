"""Buttons and menus under replies: a paper's links and actions, pages of a list, a menu that opens a paper.

Link buttons (arXiv, PDF, Code, DOI) open the paper; action buttons (Full abstract, Cite, More like
this) and menus answer only the member who asked, ephemerally, and are disabled when they expire.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.core.engine import Engine
from bot.core.models import Hit, Paper
from bot.core.text import cut
from bot.discordbot.embeds import (
    citation_message,
    details_embed,
    hits_embed,
    list_embed,
    paper_card,
    paper_line,
    plain_card,
)
from bot.discordbot.limits import ANY_REPLY, CONTENT, LABEL, NO_PINGS, OPTION_TEXT, OPTIONS, URL, fit
from bot.render.parts import link_labels, when_and_where

log = logging.getLogger("paperbot.discord")
NOT_YOURS = "Only the person who asked can use these buttons."


@dataclass(frozen=True)
class Asker:
    """Whose buttons these are, for how long, which engine answers them, and whether replies may embed."""

    owner_id: int
    timeout: float
    engine: Callable[[], Engine]
    embeds: bool = True
    asked: str | None = None  # the coauthor the question named, marked wherever they appear
    # Before every custom id: which process of an HTTP interactions endpoint holds the view, so that a
    # press reaching another one is passed on to it (bot/discordbot/endpoint/routing.py). Empty on the gateway.
    tag: str = ""


async def sent(
    interaction: discord.Interaction, callback: discord.InteractionCallbackResponse[Any]
) -> discord.InteractionMessage:
    """The message an interaction response created: Discord returns it with the callback, which saves
    asking for it again (a request per answer, under a flood)."""
    if isinstance(callback.resource, discord.InteractionMessage):
        return callback.resource
    return await interaction.original_response()


def link_button(label: str, url: str) -> discord.ui.Button[Any] | None:
    """A button that opens `url`, or None where Discord would refuse the address."""
    if not url.startswith(("https://", "http://")) or len(url) > URL or any(c.isspace() for c in url):
        return None
    return discord.ui.Button(label=label[:LABEL], url=url, row=0)


def link_view(paper: Paper) -> discord.ui.View | None:
    """Link buttons alone (no one to answer), for cards nobody asked for: announcements."""
    view = discord.ui.View(timeout=None)
    for label, url in link_labels(paper):
        if (button := link_button(label, url)) is not None:
            view.add_item(button)
    return view if view.children else None


class Editable(Protocol):
    """What a view edits when it expires: the message it is on (or a way to edit it)."""

    async def edit(self, *, view: discord.ui.View, allowed_mentions: discord.AllowedMentions) -> Any: ...


def prefix_custom_id(item: discord.ui.Button[Any] | discord.ui.Select[Any], prefix: str) -> None:
    """Put `prefix` before the item's custom id, once."""
    custom_id = item.custom_id or ""
    if not custom_id.startswith(prefix):
        item.custom_id = prefix + custom_id


class OwnedView(discord.ui.View):
    """Items that answer only the member who asked, and are disabled (not left dead) on timeout."""

    def __init__(self, asker: Asker) -> None:
        super().__init__(timeout=asker.timeout)
        self.asker = asker
        self.message: Editable | None = None

    def to_components(self) -> list[dict[str, Any]]:
        # discord.py reads the components when it sends the view and stores the view under their custom
        # ids after: tagged here, a press matches the stored view.
        if self.asker.tag:
            for item in self.children:
                if isinstance(item, discord.ui.Button | discord.ui.Select) and not getattr(item, "url", None):
                    prefix_custom_id(item, self.asker.tag)
        return super().to_components()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.asker.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True, allowed_mentions=NO_PINGS)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        if isinstance(error, discord.NotFound):  # the click's interaction expired: nothing can be sent on it
            name = getattr(item, "label", None) or getattr(item, "placeholder", "?")
            log.warning("button %r from user %s: the interaction expired before the reply (HTTP 404): not answered",
                        name, interaction.user.id)  # fmt: skip
            return
        await super().on_error(interaction, error, item)

    async def on_timeout(self) -> None:
        for item in self.children:
            # Link buttons keep working: they only open a page.
            if isinstance(item, discord.ui.Select) or (isinstance(item, discord.ui.Button) and item.url is None):
                item.disabled = True
        if self.message is not None:
            # The message may be gone or the token expired: nothing left to disable then.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self, allowed_mentions=NO_PINGS)

    async def send_paper(self, interaction: discord.Interaction, paper: Paper, summary: str) -> None:
        """One paper's card with its own buttons, for the member who asked only."""
        view = PaperView(paper, self.asker)
        if self.asker.embeds:
            card = paper_card(paper, summary, self.asker.asked)
            callback = await interaction.response.send_message(embed=card, view=view, ephemeral=True,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        else:
            callback = await interaction.response.send_message(plain_card(paper, summary), view=view, ephemeral=True,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        view.message = await sent(interaction, callback)

    async def send_papers(self, interaction: discord.Interaction, title: str, hits: Sequence[Hit]) -> None:
        """A few papers one line each, with a menu that opens any of them, for the member who asked only."""
        view = PagesView(title, hits, max(1, len(hits)), self.asker, render=hits_embed)
        if self.asker.embeds:
            callback = await interaction.response.send_message(embed=view.embed(), view=view, ephemeral=True,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        else:
            text = "\n".join([title, *(paper_line(h.paper, h.summary) for h in hits)])
            callback = await interaction.response.send_message(cut(text, CONTENT), view=view, ephemeral=True,
                                                               allowed_mentions=NO_PINGS)  # fmt: skip
        view.message = await sent(interaction, callback)


class OpenPaper(discord.ui.Select["OwnedView"]):
    """A menu of papers; choosing one opens its card."""

    def __init__(self, items: Sequence[Hit | Paper], row: int) -> None:
        self.items = list(items[:OPTIONS])
        options = [
            discord.SelectOption(label=cut(_paper(item).title, OPTION_TEXT) or "–", value=str(i),
                                 description=cut(when_and_where(_paper(item)), OPTION_TEXT) or None)
            for i, item in enumerate(self.items)
        ]  # fmt: skip
        super().__init__(placeholder="Open a paper…", options=options, row=row)

    async def callback(self, interaction: discord.Interaction) -> None:
        view = self.view
        if view is None:
            return
        item = self.items[int(self.values[0])]
        summary = item.summary if isinstance(item, Hit) else view.asker.engine().summary(item)
        await view.send_paper(interaction, _paper(item), summary)


def _paper(item: Hit | Paper) -> Paper:
    return item.paper if isinstance(item, Hit) else item


class PaperView(OwnedView):
    """Under a paper's card: where to read it, its full abstract, its citation, papers like it, and a
    menu that opens the answer's other papers."""

    def __init__(self, paper: Paper, asker: Asker, others: Sequence[Hit] = ()) -> None:
        super().__init__(asker)
        self.paper = paper
        for label, url in link_labels(paper):
            if (button := link_button(label, url)) is not None:
                self.add_item(button)
        if others:
            self.add_item(OpenPaper(others, row=2))

    @discord.ui.button(label="Full abstract", style=discord.ButtonStyle.primary, row=1)
    async def full_abstract(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        names = self.asker.engine().acronyms.get(self.paper, ())
        if self.asker.embeds:
            embed = details_embed(self.paper, names, self.asker.asked)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        known = f"\nAlso known as {', '.join(names)}." if names else ""
        await interaction.response.send_message(plain_card(self.paper, self.paper.abstract + known), ephemeral=True,
                                                allowed_mentions=NO_PINGS)  # fmt: skip

    @discord.ui.button(label="Cite", style=discord.ButtonStyle.secondary, row=1)
    async def cite(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        await interaction.response.send_message(citation_message(self.paper), ephemeral=True,
                                                allowed_mentions=NO_PINGS)  # fmt: skip

    @discord.ui.button(label="More like this", style=discord.ButtonStyle.secondary, row=1)
    async def more_like_this(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        hits = self.asker.engine().related(self.paper, k=5)
        if not hits:
            await interaction.response.send_message("No paper like it found.", ephemeral=True,
                                                    allowed_mentions=NO_PINGS)  # fmt: skip
            return
        await self.send_papers(interaction, cut(f"Papers like {self.paper.title}", 200), hits)


class PagesView(OwnedView):
    """Previous / Next through a long list (papers, hits or lines of text), one page per embed; for
    papers, a menu that opens one of the page's papers."""

    def __init__(
        self,
        title: str,
        items: Sequence[Any],
        page_size: int,
        asker: Asker,
        render: Callable[[str, Sequence[Any], str], discord.Embed] = list_embed,
        lead: Sequence[discord.Embed] = (),
    ) -> None:
        super().__init__(asker)
        self.title = title
        self.pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
        self.render = render
        self.lead = list(lead)  # embeds shown above every page (an answer's figures)
        self.page = 0
        self.menu: OpenPaper | None = None
        if len(self.pages) == 1:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        self._sync()

    @property
    def needed(self) -> bool:
        """Whether the message needs this view at all (more than one page, or papers to open)."""
        return bool(self.children)

    def embed(self) -> discord.Embed:
        footer = f"Page {self.page + 1} of {len(self.pages)}" if len(self.pages) > 1 else ""
        return self.render(self.title, self.pages[self.page], footer)

    def embeds(self) -> list[discord.Embed]:
        """The lead embeds and the page, within what a member takes in at a glance."""
        return fit([*self.lead, self.embed()], ANY_REPLY)

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1
        if self.menu is not None:
            self.remove_item(self.menu)
            self.menu = None
        papers = [item for item in self.pages[self.page] if isinstance(item, Hit | Paper)]
        if papers:
            self.menu = OpenPaper(papers, row=1)
            self.add_item(self.menu)

    async def _show(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._sync()
        await interaction.response.edit_message(embeds=self.embeds(), view=self, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, row=0)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[PagesView]) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary, row=0)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[PagesView]) -> None:
        await self._show(interaction, 1)

