"""An answer as one Discord message: content, cards and the buttons under them.

A topic answer leads with its best paper's card and lists the others one line each; a list answer (a
year, a coauthor, a venue...) is one line per paper with its gist, in pages; figures come as fields.
Every answer with papers gets buttons: links, Full abstract, Cite, More like this, a menu to open a paper;
one that found nothing gets example questions to press.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.core.models import Answer, Intent
from bot.core.text import cut
from bot.discordbot.embeds import answer_embeds, card_layout, facts_embed, hits_embed, plain_text
from bot.discordbot.limits import LABEL, NO_PINGS
from bot.discordbot.views import Asker, OwnedView, PagesView, PaperView, sent
from bot.settings import ReplySettings

EXAMPLES = 4  # example questions offered as buttons when nothing matched


@dataclass
class Reply:
    """What to send: content, embeds, a view and files (any of them may be empty)."""

    content: str | None
    embeds: list[discord.Embed]
    view: OwnedView | None
    files: list[discord.File] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `send` and `send_message`: only what there is."""
        out: dict[str, Any] = {"content": self.content or None}
        if self.embeds:
            out["embeds"] = self.embeds
        if self.view is not None:
            out["view"] = self.view
        if self.files:
            out["files"] = self.files
        return out


class AskButton(discord.ui.Button["Examples"]):
    """An example question; pressing it asks it."""

    def __init__(self, question: str) -> None:
        super().__init__(label=cut(question, LABEL), style=discord.ButtonStyle.secondary)
        self.question = question

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.view is not None:
            await self.view.ask(interaction, self.question)


class Examples(OwnedView):
    """Under a reply that found nothing: example questions that work on this corpus, one press away."""

    def __init__(self, questions: Sequence[str], asker: Asker, reply: ReplySettings, page_size: int) -> None:
        super().__init__(asker)
        self.reply = reply
        self.page_size = page_size
        for question in questions[:EXAMPLES]:
            self.add_item(AskButton(question))

    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        """The example's answer, for the member who pressed it only, with its own buttons."""
        answer = await asyncio.to_thread(self.asker.engine().ask, question)
        out = answer_reply(answer, self.asker, self.reply, self.page_size)
        callback = await interaction.response.send_message(**out.kwargs(), ephemeral=True, allowed_mentions=NO_PINGS)
        if out.view is not None:
            out.view.message = await sent(interaction, callback)


def _buttons(answer: Answer, asker: Asker, reply: ReplySettings, page_size: int) -> OwnedView | None:
    """A card's buttons for its paper (and a menu of the others), a follow-up's for the paper it is
    about, a menu of the papers to choose from, or example questions when nothing matched."""
    if answer.about is not None:
        return PaperView(answer.about, asker)
    if answer.intent is Intent.CLARIFY:
        return PagesView(answer.headline, answer.hits, max(1, len(answer.hits)), asker, render=hits_embed)
    if answer.hits:
        return PaperView(answer.hits[0].paper, asker, others=answer.hits[1:])
    if answer.suggestions:
        return Examples(answer.suggestions, asker, reply, page_size)
    return None


def answer_reply(answer: Answer, asker: Asker, reply: ReplySettings, page_size: int) -> Reply:
    """The message for an answer, with embeds where `asker.embeds` allows them, plain text otherwise."""
    hits = answer.hits
    if not asker.embeds:
        return Reply(plain_text(answer, reply), [], _buttons(answer, asker, reply, page_size))
    follow_up = answer.intent is Intent.CLARIFY or answer.about is not None or bool(answer.bibtex)
    if not hits or follow_up or card_layout(answer):
        content, embeds = answer_embeds(answer)
        return Reply(content, embeds, _buttons(answer, asker, reply, page_size))
    lead = [facts_embed(answer.headline, answer.facts)] if answer.facts else []
    # The lead, above every page, already carries the headline: on a phone, once is enough.
    title = "Papers" if lead else answer.headline.rstrip(":")
    pages = PagesView(title, hits, page_size, asker, render=hits_embed, lead=lead)
    return Reply(None, pages.embeds(), pages)
