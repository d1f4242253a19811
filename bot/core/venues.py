"""The short names a venue goes by, read off its full name: "NIME" for "Proceedings of the
International Conference on New Interfaces for Musical Expression", "CHI" for "Proceedings of the
2023 CHI Conference on Human Factors in Computing Systems", "ICLR" for "International Conference on
Learning Representations". BibTeX and OpenAlex give the long names; members ask with the short ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

# Capitals inside a word make it an acronym as written: "CHI", "NeurIPS", "CinC", "SafeAI".
ACRONYM = re.compile(r"\b[A-Za-z]*[A-Z][a-z]*[A-Z][A-Za-z]*\b")
# Publishers and words of any venue's name: never the venue itself.
_NOT_VENUES = frozenset({"ACM", "IEEE", "USA", "UK", "EU"})
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty|thirty|\d+(st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
# What a series' name does not begin with: "Proceedings of the", "the 2023", "Annual", "Joint",
# "Advances in" (NeurIPS' proceedings are "Advances in Neural Information Processing Systems").
_LEAD = re.compile(r"^(proceedings|of|the|annual|joint|acm|ieee|advances in)\b\s*", re.IGNORECASE)
_CONFERENCE = re.compile(r"\b(international )?(conference|symposium|workshop)( on)?\b", re.IGNORECASE)
# Only a meeting's name spells its acronym with its initials; a journal's ("Alzheimer's & Dementia")
# would make one that means something else ("ASD").
_MEETING = re.compile(r"\b(proceedings|conference|symposium|workshop)\b|^advances in\b", re.IGNORECASE)
# Series renamed since: members ask by the new name for papers filed under the old one too.
_RENAMED = {"NIPS": "NeurIPS"}  # since 2018
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_FILLER = frozenset("of and for on in the at to a an with from annual joint".split())
MIN_LETTERS, MAX_LETTERS = 3, 6  # shorter stands for too many things; longer is nobody's acronym


@lru_cache(maxsize=4096)
def short_names(venue: str) -> frozenset[str]:
    """The acronyms a venue's name writes out ("CHI", "CinC") and those its words' initials make,
    with and without "International Conference" ("ICLR" and "LR" are both tried; only one is used)."""
    names = {a for a in ACRONYM.findall(venue) if len(a) >= MIN_LETTERS and a not in _NOT_VENUES}
    if not _MEETING.search(venue):
        return frozenset(names)
    rest = _ORDINAL.sub(" ", venue.split("(")[0].split(":")[0])
    while (stripped := _LEAD.sub("", rest.strip())) != rest.strip():
        rest = stripped
    # "Designing Interactive Systems Conference": DIS. "International Conference on Learning
    # Representations": LR, and ICLR, since such series keep the conference's initials.
    bare, whole = _initials(_CONFERENCE.sub(" ", rest)), _initials(rest)
    names.update(i for i in (bare, whole if whole.startswith("IC") else "") if MIN_LETTERS <= len(i) <= MAX_LETTERS)
    names.update(_RENAMED[n] for n in list(names) if n in _RENAMED)
    return frozenset(names)


def _initials(series: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", series) if w.lower() not in _FILLER]
    if len(words) < 2:
        return ""  # one word is a name, not an acronym's source
    return "".join(w if w.isupper() and len(w) > 1 else w[0].upper() for w in words)


def at_venue(venue: str | None, asked: str) -> bool:
    """Whether a paper's venue is the one asked for: by the start of its name ("NeurIPS" is
    "NeurIPS 2022"), or by a short name it goes by ("NIME")."""
    return venue is not None and (venue.startswith(asked) or asked in short_names(venue))


def venues_at(venues: Iterable[str], asked: str) -> frozenset[str]:
    """The venues among `venues` that are the one asked for: those whose series is named exactly so
    where there are any ("Ecology", not "Ecology Letters"; "Nature", not "Nature Communications")
    with those that go by it as a short name, else every one `at_venue` finds."""
    found = [v for v in venues if at_venue(v, asked)]
    if not any(series(v)[0].casefold() == asked.casefold() for v in found):
        return frozenset(found)
    # The exact series and what goes by its short name ("International Conference on Learning
    # Representations" is ICLR too); not the longer names it only begins.
    return frozenset(v for v in found if called(v, asked))


def called(venue: str, asked: str) -> bool:
    """Whether a venue is the one asked for by its own series' name or by a short name, not only a
    longer name that begins with it ("Nature Genetics" is not called "Nature")."""
    return series(venue)[0].casefold() == asked.casefold() or asked in short_names(venue)


@lru_cache(maxsize=4096)  # a corpus names few venues, each for many papers
def series(venue: str) -> tuple[str, int | None]:
    """A venue's name as it is every year, and the year its name gives: "NeurIPS 2022" is NeurIPS of
    2022, "Proceedings of the Eighteenth International Conference on Tangible, Embedded, and Embodied
    Interaction" is "International Conference on Tangible, Embedded, and Embodied Interaction"."""
    year = _YEAR.search(venue)
    name = _ORDINAL.sub(" ", _YEAR.sub(" ", venue))
    name = re.sub(r"^\s*proceedings of( the)?\b", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+", " ", re.sub(r"\(\s*\)", "", name)).strip(" ,:;'(")
    return name or venue, int(year.group()) if year else None


def shown_series(names: Iterable[str]) -> dict[str, str]:
    """Each series name as listed: under a short name it shares with another of `names`, where it
    does ("International Conference on Learning Representations" with "ICLR"; "Conference on Neural
    Information Processing Systems" with "NeurIPS Workshop on Bayesian Deep Learning": NeurIPS), else
    as it is. A series' current name before its old one ("NeurIPS", not "NIPS")."""
    listed = set(names)
    shared = Counter(short for name in listed for short in short_names(name) | {name})

    def shown(name: str) -> str:
        shorts = sorted(short_names(name), key=lambda short: (short not in listed, short in _RENAMED, short))
        return next((short for short in shorts if short != name and shared[short] > 1), name)

    return {name: shown(name) for name in listed}


def only_begun(asked: str, venues: Iterable[str]) -> list[str]:
    """The series of `venues` when none is the venue asked for itself or by a short name, only names
    it begins ("Nature Neuroscience" for "Nature"); else nothing."""
    names = sorted({series(v)[0] for v in venues})
    return [] if any(called(n, asked) for n in names) else names
