"""An `Answer` as Markdown-flavoured text: Discord's reply where it may not embed, and `ask --json`'s "text"."""

from __future__ import annotations

from bot.core.models import Answer, Hit, Intent, Paper
from bot.render.parts import Mark, link_line, paper_meta, shown_authors
from bot.settings import ReplySettings


def author_line(paper: Paper, max_authors: int, bold: str = "**", asked: str | None = None) -> str:
    """Authors, the lab's members in bold and the coauthor the question `asked` about underlined,
    "et al." where the list is cut or was truncated."""
    authors = shown_authors(paper, max_authors, asked)
    marks = {Mark.MEMBER: bold, Mark.ASKED: "__", Mark.PLAIN: ""}
    line = ", ".join(f"{marks[m]}{a}{marks[m]}" for a, m in authors.shown)
    if authors.truncated or authors.hidden:
        line += " et al."
    return line


def render_hit(n: int, hit: Hit, reply: ReplySettings, asked: str | None = None) -> str:
    paper = hit.paper
    if reply.style == "compact":
        return f"{n}. {paper.title} ({paper.date.year}): {paper.link}"
    lines = [
        f"{n}. {paper.title}",
        f"   {paper_meta(paper)}",
        f"   {author_line(paper, reply.max_authors, asked=asked)}",
        f"   {link_line(paper)}",
    ]
    if hit.summary:
        lines.append(f"   {hit.summary}")
    return "\n".join(lines)


def render_answer(answer: Answer, reply: ReplySettings) -> str:
    """The whole reply as plain text: headline, facts, papers, suggestions."""
    blocks = [answer.headline]
    if answer.facts:
        blocks.append("\n".join(f"- {label}: {value}" for label, value in answer.facts))
    if answer.intent is Intent.CLARIFY:
        blocks.append(render_choices(answer.hits))
    elif answer.hits:
        gap = "\n" if reply.style == "compact" else "\n\n"
        blocks.append(gap.join(render_hit(i, h, reply, answer.coauthor) for i, h in enumerate(answer.hits, 1)))
    if answer.bibtex:
        blocks.append(answer.bibtex)
    if answer.suggestions:
        blocks.append("You can ask, for example:\n" + "\n".join(f"- {s}" for s in answer.suggestions))
    return "\n\n".join(b for b in blocks if b)


def render_choices(hits: tuple[Hit, ...]) -> str:
    """Papers to choose from, numbered as a follow-up may name them ("the second one")."""
    return "\n".join(f"{i}. {h.paper.title} ({h.paper.date.year})" for i, h in enumerate(hits, 1))
