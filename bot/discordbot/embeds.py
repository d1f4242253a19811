"""Answers and papers as Discord embeds, always within Discord's limits, with a plain-text fallback."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.categories import category_name
from bot.core.citation import bibtex
from bot.core.models import Answer, Corpus, Hit, Intent, Paper
from bot.core.organisations import organisation_name
from bot.core.stats import papers_per_category, papers_per_year
from bot.core.text import cut
from bot.render.text import author_line, paper_meta, render_answer
from bot.settings import ReplySettings

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
FIELDS = 25
TOTAL = 6000
EMBEDS = 10

COLOUR = discord.Colour.from_rgb(88, 101, 242)


def escape(text: str) -> str:
    """Echoed user text made inert: no markdown, no mentions that could look like pings."""
    text = discord.utils.escape_markdown(text)
    return discord.utils.escape_mentions(text)


def add_field(embed: discord.Embed, name: str, value: str, inline: bool = False) -> None:
    """A field cut to Discord's limits; Discord rejects a blank name or value, so those get a dash."""
    name, value = cut(name.strip(), FIELD_NAME), cut(value.strip(), FIELD_VALUE)
    embed.add_field(name=name or "–", value=value or "–", inline=inline)


def _links(paper: Paper) -> str:
    link = paper.link
    label = "arXiv" if "arxiv.org/" in link else "DOI" if "doi.org/" in link else "Paper"
    links = [f"[{label}]({link})" if paper.url or paper.doi or paper.arxiv else f"[Search]({link})"]
    if paper.pdf:
        links.append(f"[PDF]({paper.pdf})")
    if paper.code:
        links.append(f"[Code]({paper.code})")
    return " · ".join(links)


def paper_embed(paper: Paper, text: str, max_authors: int = 8, asked: str | None = None) -> discord.Embed:
    """One paper: linked title, summary or abstract, date/venue/category, authors, links.

    No match score: members have no use for it (it stays in `ask --json` and the log)."""
    embed = discord.Embed(
        title=cut(paper.title, TITLE), url=paper.link, description=cut(text, DESCRIPTION) or None, colour=COLOUR
    )
    add_field(embed, "Published", paper_meta(paper), inline=True)
    if paper.organisation.strip():
        add_field(embed, "Organisation", organisation_name(paper.organisation), inline=True)
    add_field(embed, "Authors", author_line(paper, max_authors, asked=asked))
    add_field(embed, "Links", _links(paper))
    return embed


def list_embed(title: str, papers: Sequence[Paper], footer: str = "") -> discord.Embed:
    """Many papers in one embed: a linked line each, newest first."""
    lines: list[str] = []
    length = 0
    for paper in papers:
        line = f"• [{cut(paper.title, 200)}]({paper.link}) ({paper.date.year})"
        if length + len(line) + 1 > DESCRIPTION - 40:
            lines.append(f"… and {len(papers) - len(lines)} more")
            break
        lines.append(line)
        length += len(line) + 1
    embed = discord.Embed(title=cut(title, TITLE), description="\n".join(lines) or "No paper.", colour=COLOUR)
    if footer:
        embed.set_footer(text=cut(footer, FOOTER))
    return embed


def citation_message(paper: Paper) -> str:
    """A paper's BibTeX entry in a code block, within one message."""
    fence = "`" * 3
    title = cut(discord.utils.escape_markdown(paper.title), 300)
    for most in (None, 20, 5, 1):  # a 400-author paper must still fit one message, block closed
        entry = bibtex(paper, most).replace(fence, "'" * 3)  # a title cannot close the block early
        message = f"BibTeX for **{title}**:\n{fence}bibtex\n{entry}\n{fence}"
        if len(message) <= CONTENT:
            return message
    return cut(message, CONTENT)


def lines_embed(title: str, lines: Sequence[str], footer: str = "") -> discord.Embed:
    """Lines of text in one embed (a page of coauthors, say)."""
    embed = discord.Embed(title=cut(title, TITLE), description=cut("\n".join(lines), DESCRIPTION) or "–",
                          colour=COLOUR)  # fmt: skip
    if footer:
        embed.set_footer(text=cut(footer, FOOTER))
    return embed


def facts_embed(title: str, facts: Sequence[tuple[str, str]]) -> discord.Embed:
    embed = discord.Embed(title=cut(title, TITLE), colour=COLOUR)
    for label, value in facts[:FIELDS]:
        add_field(embed, label, value, inline=True)
    return embed


def total_size(embeds: Sequence[discord.Embed]) -> int:
    """Characters Discord counts against the 6,000 limit of one message."""
    size = 0
    for e in embeds:
        size += len(e.title or "") + len(e.description or "") + len(e.footer.text or "") + len(e.author.name or "")
        size += sum(len(f.name or "") + len(f.value or "") for f in e.fields)
    return size


def fit(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """At most 10 embeds and 6,000 characters: shorten descriptions, then drop the last embeds."""
    embeds = embeds[:EMBEDS]
    while total_size(embeds) > TOTAL:
        longest = max(embeds, key=lambda e: len(e.description or ""))
        over = total_size(embeds) - TOTAL
        if len(longest.description or "") > 200:
            longest.description = cut(longest.description or "", max(200, len(longest.description or "") - over))
        elif len(embeds) > 1:
            embeds = embeds[:-1]
        else:
            for f in longest.fields:
                longest.set_field_at(longest.fields.index(f), name=f.name, value=cut(f.value or "", 200))
            break
    return embeds


def answer_reply(answer: Answer, max_authors: int = 8, max_cards: int = 5) -> tuple[str, list[discord.Embed]]:
    """The message content and embeds for an answer: a card per paper, or one list when there are many."""
    if answer.intent is Intent.CLARIFY or answer.about is not None:
        return followup_reply(answer)
    content = cut(answer.headline, CONTENT)
    embeds: list[discord.Embed] = []
    if answer.facts:
        embeds.append(facts_embed(answer.headline, answer.facts))
        content = ""
    if len(answer.hits) > max_cards:
        embeds.append(list_embed(answer.headline, [h.paper for h in answer.hits]))
        content = ""
    else:
        embeds.extend(_hit_embed(h, answer, max_authors) for h in answer.hits)
    if answer.suggestions:
        tips = "\n".join(f"• {s}" for s in answer.suggestions)
        content = cut(f"{answer.headline}\nTry `/papers` or `/help`, or ask for example:\n{tips}", CONTENT)
    return content, fit(embeds)


def followup_reply(answer: Answer) -> tuple[str, list[discord.Embed]]:
    """A follow-up's reply: papers to choose from, numbered as a member may name them ("the second
    one"); or facts about one paper, under its linked title; or its BibTeX entry."""
    content = cut(answer.headline, CONTENT)
    paper = answer.about
    if paper is None:
        lines = [f"{n}. [{cut(h.paper.title, 200)}]({h.paper.link}) ({h.paper.year})"
                 for n, h in enumerate(answer.hits, 1)]  # fmt: skip
        return content, [lines_embed("Papers to choose from", lines)]
    if answer.bibtex:
        return citation_message(paper), []
    embed = discord.Embed(title=cut(paper.title, TITLE), url=paper.link, colour=COLOUR)
    for label, value in answer.facts[:FIELDS]:
        add_field(embed, label, value, inline=len(value) <= 40)
    return content, fit([embed])


def _hit_embed(hit: Hit, answer: Answer, max_authors: int) -> discord.Embed:
    return paper_embed(hit.paper, hit.summary, max_authors, answer.coauthor)


def plain_text(answer: Answer, reply: ReplySettings) -> str:
    """The reply where embeds may not be sent: the plain-text answer, cut to one message."""
    return cut(render_answer(answer, reply), CONTENT)


def counts_line(counts: Sequence[tuple[object, int]]) -> str:
    return " · ".join(f"{k}: {v}" for k, v in counts)


def about_embed(
    corpus: Corpus, facts: Sequence[tuple[str, str]], coauthors: Sequence[tuple[str, int]], member: str | None = None
) -> discord.Embed:
    """The lab's card, or one member's: figures, papers per year and category, top coauthors."""
    if member is not None:
        corpus = corpus.of_member(member)
    embed = discord.Embed(title=cut(member or corpus.name, TITLE), colour=COLOUR)
    if member is None and len(corpus.members) > 1:
        add_field(embed, "Members", ", ".join(m.name for m in corpus.members))
    for label, value in facts[:20]:
        add_field(embed, label, value, inline=True)
    add_field(embed, "Papers per year", counts_line(papers_per_year(corpus)))
    by_category = [(category_name(c), n) for c, n in papers_per_category(corpus) if c]
    add_field(embed, "Papers per category", counts_line(by_category))
    add_field(embed, "Most frequent coauthors", ", ".join(f"{n} ({c})" for n, c in coauthors[:8]))
    embed.set_footer(text=f"{len(corpus.papers)} papers in this bot's corpus")
    return embed


def help_embed(examples: Sequence[str], name: str) -> discord.Embed:
    """What the bot answers, with examples and the commands."""
    embed = discord.Embed(
        title="What I can answer",
        description=cut(
            f"Questions about the papers of {name}, in plain words: topics, members, coauthors, years, "
            "venues, code and the figures sources report. Mention me or DM me, or use the commands below.",
            DESCRIPTION,
        ),
        colour=COLOUR,
    )
    add_field(embed, "Examples", "\n".join(f"• {e}" for e in examples))
    commands = (
        "`/ask question` answer a question\n`/paper title` one paper in full (autocomplete)\n"
        "`/papers [year] [coauthor] [topic]` the list, newest first\n`/coauthors [name]` frequent coauthors\n"
        "`/about [member]` the lab's or a member's figures\n`/help` this message"
    )
    add_field(embed, "Commands", commands)
    return embed
