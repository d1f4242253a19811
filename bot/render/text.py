"""Plain-text rendering of an `Answer`: the terminal's reply, and Discord's fallback."""

from __future__ import annotations

from bot.core.models import Answer, Hit, Paper
from bot.core.text import fold
from bot.settings import ReplySettings


def author_line(paper: Paper, owner: str, max_authors: int, bold: str = "**") -> str:
    """Authors, the profile owner in bold, "et al." where the list is cut or was truncated."""
    shown = list(paper.authors[:max_authors])
    owner_key = fold(owner)
    missing = owner_key not in {fold(a) for a in shown}
    if owner and missing and any(fold(a) == owner_key for a in paper.authors):
        # Keep the owner visible even when they sit beyond the cut.
        shown[-1] = next(a for a in paper.authors if fold(a) == owner_key)
    names = [f"{bold}{a}{bold}" if owner and fold(a) == owner_key else a for a in shown]
    line = ", ".join(names)
    if paper.authors_truncated or len(paper.authors) > len(shown):
        line += " et al."
    return line


def paper_meta(paper: Paper) -> str:
    """"11 Sep 2023 · NeurIPS 2023 · cs.LG": date, venue when known, category."""
    parts = [f"{paper.date.day} {paper.date:%b %Y}"]
    if paper.venue:
        parts.append(paper.venue)
    parts.append(paper.category)
    return " · ".join(parts)


def render_hit(n: int, hit: Hit, owner: str, reply: ReplySettings) -> str:
    paper = hit.paper
    if reply.style == "compact":
        return f"{n}. {paper.title} ({paper.date.year}): {paper.url}"
    lines = [
        f"{n}. {paper.title}",
        f"   {paper_meta(paper)}",
        f"   {author_line(paper, owner, reply.max_authors)}",
        f"   {paper.url}" + (f"  (code: {paper.code})" if paper.code else ""),
    ]
    if hit.summary:
        lines.append(f"   {hit.summary}")
    return "\n".join(lines)


def render_answer(answer: Answer, reply: ReplySettings) -> str:
    """The whole reply as plain text: headline, facts, papers, suggestions."""
    blocks = [answer.headline]
    if answer.facts:
        blocks.append("\n".join(f"- {label}: {value}" for label, value in answer.facts))
    if answer.hits:
        gap = "\n" if reply.style == "compact" else "\n\n"
        blocks.append(gap.join(render_hit(i, h, answer.owner, reply) for i, h in enumerate(answer.hits, 1)))
    if answer.suggestions:
        blocks.append("You can ask, for example:\n" + "\n".join(f"- {s}" for s in answer.suggestions))
    return "\n\n".join(b for b in blocks if b)


def render_paper(paper: Paper, owner: str, related: tuple[Hit, ...] = (), names: tuple[str, ...] = ()) -> str:
    """One paper's full card: every field, the whole abstract, and its nearest papers."""
    lines = [paper.title + (f"  ({', '.join(names)})" if names else ""), paper_meta(paper)]
    lines.append(author_line(paper, owner, max_authors=len(paper.authors) or 1))
    if paper.organisation:
        lines.append(f"Organisation: {paper.organisation}")
    lines.append(f"Link: {paper.url}")
    if paper.pdf:
        lines.append(f"PDF: {paper.pdf}")
    if paper.code:
        lines.append(f"Code: {paper.code}")
    lines.extend(["", paper.abstract])
    if related:
        lines.extend(["", "Related papers:"])
        lines.extend(f"- {h.paper.title} ({h.paper.date.year}): {h.paper.url}" for h in related)
    return "\n".join(lines)


def render_list(papers: tuple[Paper, ...]) -> str:
    """One line per paper: date, title, id."""
    return "\n".join(f"{p.date.isoformat()}  {p.title}  [{p.id}]" for p in papers)
