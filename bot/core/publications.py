"""What kind of publication a paper is (journal article, conference or workshop paper, preprint,
thesis, book chapter), read off its entry type and venue, and how a question asks for one kind.

Sources say it unevenly: BibTeX gives an entry type ("article", "inproceedings", "phdthesis"), our
metadata files only a venue ("NeurIPS 2023", "SafeAI workshop at AAAI 2021"), and a bioRxiv preprint
comes as an "article" with the preprint server's DOI. The venue decides where it says more than the
type (a workshop is filed as "inproceedings"); a paper nothing tells about has no kind, and is in no
kind's list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.core.models import Paper


@dataclass(frozen=True)
class Kind:
    """One kind of publication: how answers name it, and the entry types that are it."""

    key: str
    one: str  # "journal article"
    many: str  # "journal articles"
    entry_types: frozenset[str] = frozenset()  # BibTeX's (and OpenAlex's "dissertation") that are this kind


THESES = ("phd", "masters", "thesis")
KINDS = {
    kind.key: kind
    for kind in (
        Kind("journal", "journal article", "journal articles"),
        Kind("conference", "conference paper", "conference papers"),
        Kind("workshop", "workshop paper", "workshop papers"),
        Kind("preprint", "preprint", "preprints"),
        Kind("chapter", "book chapter", "book chapters", frozenset({"incollection", "inbook", "book-chapter"})),
        Kind("book", "book", "books", frozenset({"book"})),
        Kind("phd", "PhD thesis", "PhD theses", frozenset({"phdthesis", "dissertation"})),
        Kind("masters", "master's thesis", "master's theses", frozenset({"mastersthesis"})),
        Kind("thesis", "thesis", "theses", frozenset({"phdthesis", "mastersthesis", "thesis", "dissertation"})),
    )
}
_BY_ENTRY_TYPE = {t: k for k in ("chapter", "book", "phd", "masters") for t in KINDS[k].entry_types} | {
    "thesis": "thesis"
}
# Corpora written before the OpenAlex source mapped its types keep them: "book-chapter", "proceedings-article".
_PROCEEDINGS_TYPES = frozenset({"inproceedings", "conference", "proceedings", "proceedings-article"})
_UNPUBLISHED_TYPES = frozenset({"misc", "online", "unpublished", "preprint", "posted-content"})

_WORKSHOP = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_PREPRINT_SERVER = re.compile(
    r"\b(arxiv|biorxiv|medrxiv|chemrxiv|ssrn|research square|psyarxiv|osf preprints|preprints\.org)\b", re.IGNORECASE
)
# DOI prefixes of preprint servers: bioRxiv and medRxiv (10.1101), arXiv, SSRN, Research Square,
# ChemRxiv, OSF Preprints and PsyArXiv, Preprints.org. A DOI is often all a record says of one.
_PREPRINT_DOI = ("10.1101/", "10.48550/", "10.2139/", "10.21203/", "10.26434/", "10.31219/", "10.31234/",
                 "10.20944/")  # fmt: skip
# A meeting by its name ("Conference on...", "Proceedings of...") or as an acronym and its year
# ("NeurIPS 2023", "ICLR 2021"): journals are not named that way.
_MEETING = re.compile(r"\b(conference|proceedings|symposium|congress|meeting)\b", re.IGNORECASE)
# How a thesis speaks of itself; a paper argues "our thesis is", it does not write "this thesis".
_THIS_THESIS = re.compile(r"\b(this|my|the present) (thesis|dissertation)\b", re.IGNORECASE)
_ACRONYM_AND_YEAR = re.compile(r"^[A-Za-z]*[A-Z]{2}[A-Za-z]*'? ?\d{2,4}$")


def kind_of(paper: Paper) -> str | None:
    """The key of the paper's kind in `KINDS`, or None when its record does not tell."""
    kind = _by_record(paper.kind or "", paper.venue or "")
    if kind is not None:
        return kind
    if paper.doi and paper.doi.lower().startswith(_PREPRINT_DOI):
        return "preprint"
    if paper.venue:
        return None
    # No venue: a paper on arXiv, or typed as unpublished, is a preprint. An "article" without a
    # journal is often something else filed as one: Henning's PhD thesis, in a real BibTeX file, whose
    # abstract says "in this thesis", by him alone.
    if paper.arxiv or (paper.kind or "").lower() in _UNPUBLISHED_TYPES:
        return "preprint"
    if len(paper.authors) == 1 and _THIS_THESIS.search(paper.abstract):
        return "thesis"
    return None


@lru_cache(maxsize=16384)  # a corpus has far fewer distinct entry types and venues than papers
def _by_record(entry_type: str, venue: str) -> str | None:
    entry_type = entry_type.lower()
    if entry_type in _BY_ENTRY_TYPE:
        return _BY_ENTRY_TYPE[entry_type]
    if _WORKSHOP.search(venue):
        return "workshop"
    if _PREPRINT_SERVER.search(venue):
        return "preprint"
    if not venue:
        return None
    if entry_type in _PROCEEDINGS_TYPES:
        return "conference"
    if entry_type == "article":
        return "journal"
    if not entry_type:
        meeting = _MEETING.search(venue) or _ACRONYM_AND_YEAR.match(venue.strip())
        return "conference" if meeting else "journal"
    return None


def is_kind(paper: Paper, key: str) -> bool:
    """Whether the paper is of the kind `key` names."""
    return within(kind_of(paper), key)


def within(kind: str | None, key: str) -> bool:
    """Whether a paper of kind `kind` is of the kind `key` names: every thesis is a "thesis"."""
    return kind == key or (key == "thesis" and kind in THESES)


def counts(kinds: Iterable[str | None]) -> list[tuple[str, int]]:
    """How many papers of each kind (given their kinds), the commonest first; no known kind is left out."""
    found = Counter(k for k in kinds if k is not None)
    return found.most_common()


def noun(key: str | None, n: int = 1) -> str:
    """What `n` papers of the kind `key` are called: "workshop paper", "preprints"; of no kind, "papers"."""
    if key is None:
        return "paper" if n == 1 else "papers"
    return KINDS[key].one if n == 1 else KINDS[key].many


def counted(key: str | None, n: int) -> str:
    """ "1 workshop paper", "5 preprints", "3 papers"."""
    return f"{n} {noun(key, n)}"


# -- questions -----------------------------------------------------------------------------------

_PAPER_NOUN = r"(papers?|articles?|publications?|pubs|contributions?|submissions?|works?)"
# A kind is asked for when named as a kind of paper ("journal papers", "his preprints", "published in
# journals", "at workshops"), not when the word is part of a topic: "a workshop on soma design" and
# "how one conference talked about timbre" ask about papers that describe a workshop or a conference.
ASKED = {
    "journal": re.compile(rf"\bjournal {_PAPER_NOUN}\b|\b(in|to) (peer reviewed )?journals\b"),
    "conference": re.compile(
        rf"\b(conference|proceedings) {_PAPER_NOUN}\b|\b(in|at|to) conferences\b|\bconference proceedings\b"
    ),
    "workshop": re.compile(rf"\bworkshop {_PAPER_NOUN}\b|\b(in|at|to) workshops\b"),
    "preprint": re.compile(r"\b(pre ?prints?|unpublished)\b|\bnot (yet )?(been )?(published|peer reviewed)\b"),
    "chapter": re.compile(r"\b(book )?chapters\b|\bbook chapter\b"),
}
# "Her PhD", "courtney's doctorate": said of a person, the degree is its thesis.
_THESIS = re.compile(r"\b(thesis|theses|dissertations?)\b|\b(her|his|their|s) (phd|doctorate|masters)( (about|on))?$")
_THESIS_OF = {"phd": re.compile(r"\b(phd|doctoral|doctorate)\b"), "masters": re.compile(r"\b(masters?|msc|ma)\b")}
# Words that say which kind, left out of the topic when a kind is asked.
WORDS = frozenset(
    """journal journals conference conferences proceedings workshop workshops preprint preprints pre print
    prints unpublished peer reviewed yet chapter chapters book thesis theses dissertation dissertations phd
    doctoral doctorate master masters msc ma arxiv biorxiv medrxiv""".split()
)


def asked(norm: str) -> str | None:
    """The kind a question (`norm`: its folded words, space-separated) asks for, if any."""
    if _THESIS.search(norm):
        return next((key for key, rx in _THESIS_OF.items() if rx.search(norm)), "thesis")
    return next((key for key, rx in ASKED.items() if rx.search(norm)), None)
