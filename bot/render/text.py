"""Plain-text rendering of an `Answer`: the terminal's reply, and Discord's fallback."""

from __future__ import annotations

from bot.core.categories import category_name
from bot.core.models import Answer, Hit, Intent, Paper
from bot.core.names import is_spelling_of
from bot.core.organisations import organisation_name
from bot.settings import ReplySettings


def author_line(paper: Paper, max_authors: int, bold: str = "**", asked: str | None = None) -> str:
    """Authors, the lab's members in bold and the coauthor the question `asked` about underlined,
    "et al." where the list is cut or was truncated."""
    spelled = [a for a in paper.authors if is_spelling_of(a, paper.members)] if paper.members else []
    marked = [a for a in paper.authors if asked and is_spelling_of(a, (asked,)) and a not in spelled]
    keep = spelled + marked
    shown = list(paper.authors[:max_authors])
    # Members and the asked coauthor beyond the cut take the places of the last other names: an
    # answer says whose paper it is, and shows the person asked about.
    for person in reversed([a for a in keep if a not in shown]):
        last_other = max((i for i, a in enumerate(shown) if a not in keep), default=None)
        if last_other is not None:
            shown[last_other] = person
    names = [f"{bold}{a}{bold}" if a in spelled else f"__{a}__" if a in marked else a for a in shown]
    line = ", ".join(names)
    if paper.authors_truncated or len(paper.authors) > len(shown):
        line += " et al."
    return line


def paper_meta(paper: Paper) -> str:
    """"11 Sep 2023 · NeurIPS 2023 · Machine Learning": date, venue and category, where known."""
    return " · ".join(x for x in (paper.date_text, paper.venue, category_name(paper.category)) if x)


def render_hit(n: int, hit: Hit, reply: ReplySettings, asked: str | None = None) -> str:
    paper = hit.paper
    if reply.style == "compact":
        return f"{n}. {paper.title} ({paper.date.year}): {paper.link}"
    lines = [
        f"{n}. {paper.title}",
        f"   {paper_meta(paper)}",
        f"   {author_line(paper, reply.max_authors, asked=asked)}",
        f"   {paper.link}" + (f"  (code: {paper.code})" if paper.code else ""),
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


def render_paper(paper: Paper, related: tuple[Hit, ...] = (), names: tuple[str, ...] = ()) -> str:
    """One paper's full card: every field, the whole abstract, and its nearest papers."""
    lines = [paper.title + (f"  ({', '.join(names)})" if names else ""), paper_meta(paper)]
    lines.append(author_line(paper, max_authors=len(paper.authors) or 1))
    if paper.organisation:
        lines.append(f"Organisation: {organisation_name(paper.organisation)}")
    lines.append(f"Link: {paper.link}")
    if paper.pdf:
        lines.append(f"PDF: {paper.pdf}")
    if paper.code:
        lines.append(f"Code: {paper.code}")
    lines.extend(["", paper.abstract])
    if related:
        lines.extend(["", "Related papers:"])
        lines.extend(f"- {h.paper.title} ({h.paper.date.year}): {h.paper.link}" for h in related)
    return "\n".join(lines)


def render_list(papers: tuple[Paper, ...]) -> str:
    """One line per paper: date, title, id."""
    return "\n".join(f"{p.date_iso:<10}  {p.title}  [{p.id}]" for p in papers)
