"""Discord's cards: a paper at a glance, lines of papers, figures, the lab, citations and the stats picture.

Phone first: one paper is its linked title, one byline (year, venue, authors) and its summary; the rest
(abstract, every author, organisation, links, citation) sits behind the buttons of bot/discordbot/views.py.
Every card stays within Discord's limits (bot/discordbot/limits.py) whatever the corpus holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord

from bot.core.categories import category_name
from bot.core.citation import bibtex
from bot.core.models import Answer, Corpus, Hit, Intent, Paper, Profile
from bot.core.organisations import organisation_name
from bot.core.publications import KINDS
from bot.core.stats import papers_per_category, papers_per_year
from bot.core.text import cut, sentence_case
from bot.discordbot.limits import (
    ANY_REPLY,
    CONTENT,
    DESCRIPTION,
    FIELDS,
    FOOTER,
    ONE_PAPER,
    TITLE,
    add_field,
    escape,
    fit,
)
from bot.render.parts import Authors, Mark, paper_meta, shown_authors, when_and_where
from bot.render.text import render_answer
from bot.settings import ReplySettings

COLOUR = discord.Colour.from_rgb(88, 101, 242)
FEW_AUTHORS = 4  # names on a card's byline before "+N": one line on a phone
LINE_TITLE = 90  # a paper's title in a one-line entry
LINE_NOTE = 110  # what matched, after it
INLINE_VALUE = 40  # a fact longer than this gets a full-width field


def authors_text(authors: Authors) -> str:
    """Members in bold, the asked coauthor underlined, "+N" (or "et al.") for the rest."""
    marks = {Mark.MEMBER: "**", Mark.ASKED: "__", Mark.PLAIN: ""}
    text = ", ".join(f"{marks[m]}{escape(a)}{marks[m]}" for a, m in authors.shown)
    if authors.hidden:
        text += f" +{authors.hidden}"
    elif authors.truncated:
        text += " et al."
    return text


def byline(paper: Paper, asked: str | None = None, most: int = FEW_AUTHORS) -> str:
    """ "NeurIPS 2023 · **Alexander Meulemans**, Nicolas Zucchet +3": when, where and who, in one line."""
    most = len(paper.authors) if len(paper.authors) == most + 1 else most  # "+1" would hide a name for nothing
    return f"{escape(cut(when_and_where(paper), 120))} · {authors_text(shown_authors(paper, most, asked))}"


def paper_card(paper: Paper, summary: str, asked: str | None = None, budget: int = ONE_PAPER) -> discord.Embed:
    """One paper at a glance: linked title, byline, summary; at most `budget` characters of text.

    No match score: members have no use for it (it stays in `ask --json` and the log)."""
    title = cut(paper.title, min(TITLE, budget // 4))
    head = cut(byline(paper, asked), min(budget // 3, 600))
    room = budget - len(title) - len(head) - 2
    description = f"{head}\n\n{cut(summary, room)}" if summary.strip() and room > 40 else head
    return discord.Embed(title=title, url=paper.link, description=description, colour=COLOUR)


def paper_line(paper: Paper, note: str = "") -> str:
    """A paper in one line: linked title, year, and what matched (a summary's start)."""
    line = f"• [{escape(cut(paper.title, LINE_TITLE))}]({paper.link}) · {paper.year}"
    note = cut(" ".join(note.split()), LINE_NOTE)
    return f"{line} — {note}" if note else line


def more_papers_field(embed: discord.Embed, hits: Sequence[Hit], name: str = "Also relevant") -> None:
    """The other papers of an answer under its card, one line each."""
    if hits:
        add_field(embed, name, "\n".join(paper_line(h.paper, h.summary) for h in hits))


def hits_embed(title: str, hits: Sequence[Hit], footer: str = "") -> discord.Embed:
    """A page of an answer's papers, one line each with its gist."""
    lines = "\n".join(paper_line(h.paper, h.summary) for h in hits) or "No paper."
    embed = discord.Embed(title=cut(title, TITLE), description=cut(lines, DESCRIPTION), colour=COLOUR)
    if footer:
        embed.set_footer(text=cut(footer, FOOTER))
    return embed


def details_embed(paper: Paper, names: Sequence[str] = (), asked: str | None = None) -> discord.Embed:
    """Behind "Full abstract": the whole abstract, every author, date, venue, category, organisation,
    and the names the paper goes by, each in its place."""
    embed = discord.Embed(title=cut(paper.title, TITLE), url=paper.link, colour=COLOUR,
                          description=cut(paper.abstract or "No abstract recorded.", 3000))  # fmt: skip
    add_field(embed, "Authors", authors_text(shown_authors(paper, len(paper.authors), asked)))
    add_field(embed, "Published", paper_meta(paper), inline=True)
    if paper.organisation.strip():
        add_field(embed, "Organisation", organisation_name(paper.organisation), inline=True)
    if names:
        add_field(embed, "Also known as", ", ".join(names), inline=True)
    return fit([embed])[0]


def list_embed(title: str, papers: Sequence[Paper], footer: str = "") -> discord.Embed:
    """Many papers in one embed: a linked line each, newest first."""
    lines: list[str] = []
    length = 0
    for paper in papers:
        line = paper_line(paper)
        if length + len(line) + 1 > DESCRIPTION - 40:
            lines.append(f"… and {len(papers) - len(lines)} more")
            break
        lines.append(line)
        length += len(line) + 1
    embed = discord.Embed(title=cut(title, TITLE), description="\n".join(lines) or "No paper.", colour=COLOUR)
    if footer:
        embed.set_footer(text=cut(footer, FOOTER))
    return embed


def lines_embed(title: str, lines: Sequence[str], footer: str = "") -> discord.Embed:
    """Lines of text in one embed (a page of coauthors, say)."""
    embed = discord.Embed(title=cut(title, TITLE), description=cut("\n".join(lines), DESCRIPTION) or "–",
                          colour=COLOUR)  # fmt: skip
    if footer:
        embed.set_footer(text=cut(footer, FOOTER))
    return embed


def facts_embed(title: str, facts: Sequence[tuple[str, str]]) -> discord.Embed:
    """Figures as fields, label above value: side by side when short (a figure), else full width (a
    sentence, a list of names), which three columns would wrap into a narrow strip."""
    embed = discord.Embed(title=cut(title.rstrip(":"), TITLE), colour=COLOUR)
    for label, value in facts[:FIELDS]:
        add_field(embed, label, value, inline=len(value) <= INLINE_VALUE)
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


def card_layout(answer: Answer) -> bool:
    """Whether an answer leads with one paper's card (the best match of a topic, or its only paper),
    rather than a list of papers one line each (a year, a coauthor, a venue...)."""
    return len(answer.hits) == 1 or answer.intent.value in ("topic", "paper")


def answer_embeds(answer: Answer) -> tuple[str, list[discord.Embed]]:
    """The content and embeds of an answer that leads with a card, or that has only figures, or of a
    follow-up; a list answer's pages come from its view (bot/discordbot/views.py)."""
    if answer.intent is Intent.CLARIFY or answer.about is not None or answer.bibtex:
        return followup_reply(answer)
    if answer.suggestions or not answer.found:
        # The examples themselves are buttons under the reply (bot/discordbot/replies.py).
        tips = "\nTry `/papers` or `/help`, or one of these questions:" if answer.suggestions else ""
        return cut(answer.headline + tips, CONTENT), []
    embeds: list[discord.Embed] = []
    if answer.facts:
        embeds.append(facts_embed(answer.headline, answer.facts))
    if answer.hits and card_layout(answer):
        best, *others = answer.hits
        card = paper_card(best.paper, best.summary, answer.coauthor)
        more_papers_field(card, others)
        embeds.append(card)
    content = "" if answer.facts else cut(answer.headline, CONTENT)
    return content, fit(embeds, ANY_REPLY)


def followup_reply(answer: Answer) -> tuple[str, list[discord.Embed]]:
    """A follow-up's reply: papers to choose from, numbered as a member may name them ("the second
    one"); or facts about one paper, under its linked title; or its BibTeX entry."""
    content = cut(answer.headline, CONTENT)
    paper = answer.about
    if paper is None and answer.bibtex:
        return citations_message(answer.headline, answer.bibtex), []
    if paper is None:
        lines = [f"{n}. [{escape(cut(h.paper.title, 200))}]({h.paper.link}) ({h.paper.year})"
                 for n, h in enumerate(answer.hits, 1)]  # fmt: skip
        return content, [lines_embed("Papers to choose from", lines)]
    if answer.bibtex:
        return citation_message(paper), []
    embed = discord.Embed(title=cut(paper.title, TITLE), url=paper.link, colour=COLOUR)
    for label, value in answer.facts[:FIELDS]:
        add_field(embed, label, value, inline=len(value) <= 40)
    return content, fit([embed], ANY_REPLY)


def citations_message(headline: str, entries: str) -> str:
    """Several BibTeX entries ("cite them") in one code block: as many whole entries as fit a message."""
    fence = "`" * 3
    parts = re.split(r"\n\n(?=@)", entries.replace(fence, "'" * 3))
    head = cut(headline, 300)
    room = CONTENT - len(f"{head}\n{fence}bibtex\n\n{fence}") - 80  # 80: the note on what was left out
    kept: list[str] = []
    for entry in parts:
        if len("\n\n".join([*kept, entry])) > room:
            break
        kept.append(entry)
    kept = kept or [cut(parts[0], room)]  # one entry longer than a message (hundreds of authors)
    left = len(parts) - len(kept)
    more = f"\n({left} more: ask for one by its place, “cite the third one”)" if left else ""
    return f"{head}\n{fence}bibtex\n" + "\n\n".join(kept) + f"\n{fence}{more}"


def plain_text(answer: Answer, reply: ReplySettings) -> str:
    """The reply where embeds may not be sent: the plain-text answer, cut to one message."""
    return cut(render_answer(answer, reply), CONTENT)


def plain_card(paper: Paper, text: str) -> str:
    """A paper where embeds may not be sent: title, link, byline and `text`, within one message."""
    return cut(f"**{escape(paper.title)}**\n<{paper.link}>\n{byline(paper)}\n{text}", CONTENT)


def counts_line(counts: Sequence[tuple[object, int]]) -> str:
    return " · ".join(f"{k}: {v}" for k, v in counts)


def _member_figures(member: Profile, own: int, count_here: bool) -> str:
    """One member's figures, each once: "15 papers here; reported by OpenAlex: h-index 12 · 436 citations"."""
    here = f"{own} paper{'s' * (own != 1)} here" if count_here else ""
    reported = []
    if member.paper_count is not None and member.paper_count != own:
        reported.append(f"{member.paper_count:,} papers in all")
    if member.h_index is not None:
        reported.append(f"h-index {member.h_index}")
    if member.citations is not None:
        reported.append(f"{member.citations:,} citations")
    if not reported:
        return here or "No figures reported."
    source = member.figures_source or "the source"
    doubt = " (these do not add up)" if member.doubtful_figures(own) else ""
    figures = f"reported by {source}: {' · '.join(reported)}{doubt}"
    return f"{here}; {figures}" if here else sentence_case(figures)


def about_embed(
    corpus: Corpus, coauthors: Sequence[tuple[str, int]], kinds: Sequence[tuple[str, int]], member: str | None = None
) -> discord.Embed:
    """The lab's card, or one member's, each figure once: how many papers (and of which years), the
    figures sources report per member, papers per year, kind and category, the most frequent coauthors."""
    whole = corpus
    if member is not None:
        corpus = corpus.of_member(member)
    papers = len(corpus.papers)
    years = papers_per_year(corpus)
    span = f", {years[-1][0]}–{years[0][0]}" if len(years) > 1 else f", {years[0][0]}" if years else ""
    embed = discord.Embed(title=cut(member or corpus.name, TITLE), colour=COLOUR,
                          description=f"{papers} paper{'s' * (papers != 1)} in this bot's corpus{span}.")  # fmt: skip
    profiles = [m for m in whole.members if member is None or m.name == member]
    for profile in profiles[:10]:
        own = len(whole.of_member(profile.name).papers)
        add_field(embed, profile.name, _member_figures(profile, own, count_here=len(profiles) > 1))
    if len(profiles) > 10:
        add_field(embed, "Other members", ", ".join(p.name for p in profiles[10:]))
    add_field(embed, "Papers per year", counts_line(years))
    if kinds:
        add_field(embed, "Papers per kind", counts_line([(sentence_case(KINDS[k].many), n) for k, n in kinds]))
    by_category = [(category_name(c), n) for c, n in papers_per_category(corpus) if c]
    if by_category:
        add_field(embed, "Papers per category", counts_line(by_category))
    if coauthors:
        add_field(embed, "Most frequent coauthors", ", ".join(f"{escape(n)} ({c})" for n, c in coauthors[:8]))
    return fit([embed], ANY_REPLY)[0]


def stats_embed(title: str, filename: str) -> discord.Embed:
    """The card that shows the stats picture (its figures in words are the attachment's alt text)."""
    embed = discord.Embed(title=cut(title, TITLE), colour=COLOUR)
    embed.set_image(url=f"attachment://{filename}")
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
        "`/ask question` answer a question\n`/paper title` one paper (autocomplete)\n"
        "`/papers [year] [coauthor] [topic]` the list, newest first\n`/cite title` a BibTeX entry\n"
        "`/coauthors [name]` frequent coauthors\n`/about [member]` the lab's or a member's figures\n"
        "`/stats [member]` papers per year and coauthors, as a picture\n`/help` this message"
    )
    add_field(embed, "Commands", commands)
    return embed
