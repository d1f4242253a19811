"""A paper as a BibTeX entry to paste: a stable key, every author, the venue, DOI and arXiv id."""

from __future__ import annotations

import re

from bot.core.models import Paper
from bot.core.names import display_form
from bot.core.text import tokens

# BibTeX types an entry may keep from its source; anything else is chosen from the venue.
_TYPES = frozenset(
    "article inproceedings incollection book inbook phdthesis mastersthesis techreport misc unpublished".split()
)
_CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|aaai|ijcai|cvpr|iccv|eccv|acl|emnlp|naacl|"
    r"chi|nime|uist|kdd|sigir|www|colt|aistats|uai|corl|rss|icra|iros|tei|dis|cscw)\b",
    re.IGNORECASE,
)
# Characters that mean something to LaTeX; a title or name with them must say them literally.
_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}  # fmt: skip
_SKIP = frozenset("a an the on of in for to and with towards toward via".split())


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def cite_key(paper: Paper) -> str:
    """"meulemans2023would": the first author's last name, the year, the title's first real word."""
    author = tokens(display_form(paper.authors[0]))[-1:] if paper.authors else []
    word = next((t for t in tokens(paper.title) if t not in _SKIP), "paper")
    return f"{''.join(author) or 'anon'}{paper.year}{word}"


def entry_type(paper: Paper) -> str:
    """The source's BibTeX type when it gave one; else from the venue (a conference, or a journal);
    a preprint without a venue is @misc."""
    if paper.kind and paper.kind.lower() in _TYPES:
        return paper.kind.lower()
    if not paper.venue:
        return "misc"
    return "inproceedings" if _CONFERENCE.search(paper.venue) else "article"


def bibtex(paper: Paper, max_authors: int | None = None) -> str:
    """The paper as one BibTeX entry, fields in the usual order, values in braces; at most
    `max_authors` authors, then "and others" (BibTeX's own "et al.")."""
    kind = entry_type(paper)
    shown = paper.authors[:max_authors] if max_authors else paper.authors
    authors = " and ".join(_latex(display_form(a)) for a in shown)
    if paper.authors_truncated or len(shown) < len(paper.authors):
        authors += " and others"
    fields: list[tuple[str, str]] = [
        ("title", "{" + _latex(paper.title) + "}"),  # double braces keep the title's capitals
        ("author", authors),
        ("year", str(paper.year)),
    ]
    if paper.date_precision != "year":
        fields.append(("month", paper.date.strftime("%b").lower()))
    if paper.venue:
        fields.append(("booktitle" if kind in ("inproceedings", "incollection") else "journal", _latex(paper.venue)))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
        if paper.category:
            fields.append(("primaryClass", paper.category))
    fields.append(("url", paper.link))
    width = max(len(name) for name, _ in fields)
    # A month is a BibTeX macro (jan, feb...), written bare; everything else in braces.
    lines = [f"  {name:<{width}} = {value if name == 'month' else '{' + value + '}'}," for name, value in fields]
    return f"@{kind}{{{cite_key(paper)},\n" + "\n".join(lines) + "\n}"
