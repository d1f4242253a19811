"""Discord's limits on what a bot sends, and the helpers that keep every message within them.

https://discord.com/developers/docs/resources/message#embed-object-embed-limits and the component
reference; the emulator in tests/discord_emulator checks the same figures on every request.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.caching import short_text_cache
from bot.core.text import cut

CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
FIELDS = 25
TOTAL = 6000
EMBEDS = 10
URL = 512  # a link button's address
LABEL = 80  # a button's label
OPTIONS = 25  # a select menu's options
OPTION_TEXT = 100  # an option's label, value and description
ATTACHMENT_DESCRIPTION = 1024  # an attachment's alt text

# What a member takes in at a glance, counted as Discord counts embed text (phone first).
ONE_PAPER = 1400  # one paper's reply
ANY_REPLY = 2400  # any answer to a question

NO_PINGS = discord.AllowedMentions.none()


@short_text_cache(maxsize=4096, max_chars=120)  # names and titles recur in answer after answer
def escape(text: str) -> str:
    """Echoed text made inert: no markdown, no mentions that could look like pings."""
    text = discord.utils.escape_markdown(text)
    return discord.utils.escape_mentions(text)


def add_field(embed: discord.Embed, name: str, value: str, inline: bool = False) -> None:
    """A field cut to Discord's limits; Discord rejects a blank name or value, so those get a dash."""
    name, value = cut(name.strip(), FIELD_NAME), cut(value.strip(), FIELD_VALUE)
    embed.add_field(name=name or "–", value=value or "–", inline=inline)


def embed_size(embed: discord.Embed) -> int:
    """Characters of one embed that Discord counts against a message's 6,000."""
    size = len(embed.title or "") + len(embed.description or "") + len(embed.footer.text or "")
    size += len(embed.author.name or "")
    return size + sum(len(f.name or "") + len(f.value or "") for f in embed.fields)


def total_size(embeds: Sequence[discord.Embed]) -> int:
    """Characters Discord counts against the 6,000 limit of one message."""
    return sum(embed_size(e) for e in embeds)


def fit(embeds: list[discord.Embed], budget: int = TOTAL) -> list[discord.Embed]:
    """At most 10 embeds and `budget` characters: shorten the longest texts, then drop the last embeds."""
    embeds = embeds[:EMBEDS]
    while total_size(embeds) > budget:
        over = total_size(embeds) - budget
        longest = max(embeds, key=lambda e: len(e.description or ""))
        field = max(((e, i) for e in embeds for i in range(len(e.fields))),
                    key=lambda ei: len(ei[0].fields[ei[1]].value or ""), default=None)  # fmt: skip
        field_len = len(field[0].fields[field[1]].value or "") if field else 0
        if len(longest.description or "") > 200 and len(longest.description or "") >= field_len:
            longest.description = cut(longest.description or "", max(200, len(longest.description or "") - over))
        elif field is not None and field_len > 100:
            embed, i = field
            f = embed.fields[i]
            embed.set_field_at(i, name=f.name, value=cut(f.value or "", max(100, field_len - over)), inline=f.inline)
        elif len(embeds) > 1:
            embeds = embeds[:-1]
        elif len(embeds[0].fields) > 1:
            embeds[0].remove_field(len(embeds[0].fields) - 1)
        else:
            only = embeds[0]
            only.title = cut(only.title or "", 100) or None
            only.description = cut(only.description or "", 100) or None
            for i, f in enumerate(only.fields):
                only.set_field_at(i, name=cut(f.name or "", 50), value=cut(f.value or "", 50), inline=f.inline)
            break
    return embeds
