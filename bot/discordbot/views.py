"""Buttons: a paper's full abstract and related papers, and Previous/Next pages of a list."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import discord

from bot.core.engine import Engine
from bot.core.models import Paper
from bot.core.text import cut
from bot.discordbot.embeds import CONTENT, DESCRIPTION, citation_message, list_embed, paper_embed

log = logging.getLogger("paperbot.discord")
NO_PINGS = discord.AllowedMentions.none()
NOT_YOURS = "Only the person who asked can use these buttons."


class OwnedView(discord.ui.View):
    """Buttons that answer only the member who asked, and are disabled (not left dead) on timeout."""

    def __init__(self, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True, allowed_mentions=NO_PINGS)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        if isinstance(error, discord.NotFound):  # the click's interaction expired: nothing can be sent on it
            log.warning("button %r from user %s: the interaction expired before the reply (HTTP 404): not answered",
                        getattr(item, "label", "?"), interaction.user.id)  # fmt: skip
            return
        await super().on_error(interaction, error, item)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            # The message may be gone or the token expired: nothing left to disable then.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self, allowed_mentions=NO_PINGS)


class PaperView(OwnedView):
    """Under a paper card: its full abstract, and the papers nearest to it."""

    def __init__(self, paper: Paper, engine: Callable[[], Engine], owner_id: int, timeout: float) -> None:
        super().__init__(owner_id, timeout)
        self.paper = paper
        self.engine = engine

    @discord.ui.button(label="Full abstract", style=discord.ButtonStyle.primary)
    async def full_abstract(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        embed = discord.Embed(title=cut(self.paper.title, 256), url=self.paper.link,
                              description=cut(self.paper.abstract, DESCRIPTION))  # fmt: skip
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Cite", style=discord.ButtonStyle.secondary)
    async def cite(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        await interaction.response.send_message(citation_message(self.paper), ephemeral=True,
                                                allowed_mentions=NO_PINGS)  # fmt: skip

    @discord.ui.button(label="Related papers", style=discord.ButtonStyle.secondary)
    async def related(self, interaction: discord.Interaction, _: discord.ui.Button[PaperView]) -> None:
        engine = self.engine()
        hits = engine.related(self.paper, k=3)
        if not hits:
            await interaction.response.send_message("No related paper found.", ephemeral=True,
                                                    allowed_mentions=NO_PINGS)  # fmt: skip
            return
        embeds = [paper_embed(h.paper, h.summary) for h in hits]
        await interaction.response.send_message(
            content=cut(f"Papers related to {self.paper.title}:", CONTENT), embeds=embeds, ephemeral=True,
            allowed_mentions=NO_PINGS,
        )  # fmt: skip


class PagesView(OwnedView):
    """Previous / Next through a long list (papers, or lines of text), one page per embed."""

    def __init__(
        self,
        title: str,
        items: Sequence[Any],
        page_size: int,
        owner_id: int,
        timeout: float,
        render: Callable[[str, Sequence[Any], str], discord.Embed] = list_embed,
    ) -> None:
        super().__init__(owner_id, timeout)
        self.title = title
        self.pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
        self.render = render
        self.page = 0
        self._sync()

    def embed(self) -> discord.Embed:
        footer = f"Page {self.page + 1} of {len(self.pages)}"
        return self.render(self.title, self.pages[self.page], footer)

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[PagesView]) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[PagesView]) -> None:
        await self._show(interaction, 1)
