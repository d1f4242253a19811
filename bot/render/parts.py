"""What every front end shows of a paper, before any markup: which authors, and the byline's parts.

The terminal, Discord and the JSON text each dress these in their own way (bold, underline, links);
the choices themselves (members and the asked coauthor kept visible, "+N" for the rest) are made once here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.categories import category_name
from bot.core.models import Paper
from bot.core.names import is_spelling_of


class Mark(Enum):
    """How an author's name stands out."""

    PLAIN = "plain"
    MEMBER = "member"  # one of the lab's members: bold everywhere
    ASKED = "asked"  # the coauthor the question named: underlined


@dataclass(frozen=True)
class Authors:
    """The authors a reply shows, in paper order, and how many it leaves out."""

    shown: tuple[tuple[str, Mark], ...]
    hidden: int  # names left out of `shown`
    truncated: bool  # the source's own list ends in "et al.": more authors than anyone knows


def shown_authors(paper: Paper, most: int, asked: str | None = None) -> Authors:
    """At most `most` authors; members and the asked coauthor beyond the cut take the places of the
    last other names, so an answer always says whose paper it is and shows the person asked about."""
    members = [a for a in paper.authors if paper.members and is_spelling_of(a, paper.members)]
    marked = [a for a in paper.authors if asked and is_spelling_of(a, (asked,)) and a not in members]
    keep = members + marked
    shown = list(paper.authors[: max(1, most)])
    for person in reversed([a for a in keep if a not in shown]):
        last_other = max((i for i, a in enumerate(shown) if a not in keep), default=None)
        if last_other is not None:
            shown[last_other] = person
    order = {a: i for i, a in enumerate(paper.authors)}
    shown.sort(key=lambda a: order[a])
    marks = tuple((a, Mark.MEMBER if a in members else Mark.ASKED if a in marked else Mark.PLAIN) for a in shown)
    return Authors(marks, len(paper.authors) - len(shown), paper.authors_truncated)


def when_and_where(paper: Paper) -> str:
    """ "NeurIPS 2023", or "2021 · ICML": the venue, with the year in front when the venue lacks it."""
    venue = (paper.venue or "").strip()
    year = str(paper.year)
    if not venue:
        return year
    return venue if year in venue else f"{year} · {venue}"


def paper_meta(paper: Paper) -> str:
    """ "11 Sep 2023 · NeurIPS 2023 · Machine Learning": date, venue and category, where known."""
    return " · ".join(x for x in (paper.date_text, paper.venue, category_name(paper.category)) if x)


def link_line(paper: Paper) -> str:
    """Where to read the paper, and its code: "https://arxiv.org/abs/...  (code: https://github.com/...)",
    or "(code)" when its page is its repository."""
    if not paper.code:
        return paper.link
    return paper.link + ("  (code)" if paper.code == paper.link else f"  (code: {paper.code})")


def link_labels(paper: Paper) -> tuple[tuple[str, str], ...]:
    """(label, address) of every place to read the paper that is known: arXiv, PDF, Code, DOI,
    or its own page when it has neither an arXiv id nor a DOI."""
    links: list[tuple[str, str]] = []
    arxiv = f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None
    if arxiv is None and paper.url and "arxiv.org/" in paper.url:
        arxiv = paper.url
    if arxiv:
        links.append(("arXiv", arxiv))
    if paper.pdf:
        links.append(("PDF", paper.pdf))
    if paper.code:
        links.append(("Code", paper.code))
    if paper.doi:
        links.append(("DOI", f"https://doi.org/{paper.doi}"))
    if not arxiv and not paper.doi and paper.url and paper.url != paper.code:
        links.append(("Paper", paper.url))
    return tuple(links)
