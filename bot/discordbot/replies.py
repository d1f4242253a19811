"""An answer as one Discord message: content, cards and the buttons under them.

A topic answer leads with its best paper's card and lists the others one line each; a list answer (a
year, a coauthor, a venue...) is one line per paper with its gist, in pages; figures come as fields.
Every answer with papers gets buttons: links, Full abstract, Cite, More like this, a menu to open a paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord

from bot.core.models import Answer
from bot.discordbot.embeds import answer_embeds, card_layout, facts_embed, hits_embed, plain_text
from bot.discordbot.views import Asker, OwnedView, PagesView, PaperView
from bot.settings import ReplySettings


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


def answer_reply(answer: Answer, asker: Asker, reply: ReplySettings, page_size: int) -> Reply:
    """The message for an answer, with embeds where `asker.embeds` allows them, plain text otherwise."""
    hits = answer.hits
    if not asker.embeds:
        view = PaperView(hits[0].paper, asker, others=hits[1:]) if hits else None
        return Reply(plain_text(answer, reply), [], view)
    if not hits or card_layout(answer):
        content, embeds = answer_embeds(answer)
        view = PaperView(hits[0].paper, asker, others=hits[1:]) if hits else None
        return Reply(content, embeds, view)
    lead = [facts_embed(answer.headline, answer.facts)] if answer.facts else []
    title = answer.headline.rstrip(":")
    pages = PagesView(title, hits, page_size, asker, render=hits_embed, lead=lead)
    return Reply(None, pages.embeds(), pages)
