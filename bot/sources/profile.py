"""A researcher's profile page, copied as text: the papers and figures it lists.

The profile looks like this (corpus/sources/ has a whole one):

    Alexander Meulemans          name
    LG                           main category code
    h-index75 / 15papers / 436citations / Novelty62% / AI Score55
    15 Papers                    heading of the list
    LGSep 11, 2023               per paper: category code, date ("Feb 18" has no year), optional "Code"
    Title
    Author, Author, Author et al. · organisation
    Abstract, which may quote a code URL.

Dates without a year belong to the year the profile was taken (`year`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.core.categories import CATEGORIES, arxiv_category
from bot.core.models import Profile
from bot.core.text import tokens
from bot.errors import CorpusError
from bot.files import CONFIG_MAX_BYTES, decode_utf8, read_bytes
from bot.sources.records import AuthorFigures, Record, SourceResult, on_code_host

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        1,
    )
    for name in names
}  # fmt: skip

# "LGSep 11, 2023", "AIFeb 18", "CLFeb 6, 2024Code": the code, the date and the marker run together.
_HEADER = re.compile(
    r"(?P<code>[A-Z]{2})(?P<month>[A-Z][a-z]{2,8})\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?P<marker>Code)?\Z"
)
_HEADING = re.compile(r"(?P<n>[\d,]+) Papers\Z")
_FIGURES = {
    "h_index": re.compile(r"h-index\s*(?P<n>[\d,]+)\Z"),
    "paper_count": re.compile(r"(?P<n>[\d,]+)\s*papers\Z"),
    "citations": re.compile(r"(?P<n>[\d,]+)\s*citations\Z"),
    "novelty": re.compile(r"Novelty\s*(?P<n>\d+)\s*%\Z"),
    "ai_score": re.compile(r"AI Score\s*(?P<n>\d+)\Z"),
}
_FIGURE_EXAMPLES = "h-index75, 15papers, 436citations, Novelty62%, AI Score55"
_HEADER_EXAMPLE = '"LGSep 11, 2023" (category code, date, optional "Code")'
_ET_AL = re.compile(r",?\s*et al\.?\Z")
_URL = re.compile(r"https?://[^\s<>\"']+")


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class ProfileEntry:
    """One paper as the profile lists it, with the line its date is on."""

    line: int
    category: str  # arXiv name
    date: dt.date
    yearless: bool  # the profile gave no year: it is the profile's
    code_marker: bool  # "Code" after the date
    title: str
    authors: tuple[str, ...]
    authors_truncated: bool
    organisation: str
    abstract: str
    code_url: str | None  # a code URL the abstract quotes


@dataclass(frozen=True)
class ParsedProfile:
    """The researcher and the papers of a profile text, in the profile's order."""

    source: str
    profile: Profile
    entries: tuple[ProfileEntry, ...]




class _Lines:
    """The profile's lines with a cursor; errors name the file and the 1-based line."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
        self.source = source
        self.pos = 0

    def error(self, expected: str, line: int | None = None) -> CorpusError:
        i = self.pos if line is None else line - 1
        if i >= len(self.lines):
            end = len(self.lines)
            return CorpusError(f"{self.source}: line {end}: expected {expected} after it, but the file ends there")
        got = self.lines[i] if len(self.lines[i]) <= 60 else self.lines[i][:57] + "..."
        return CorpusError(f"{self.source}: line {i + 1}: expected {expected}, got {got!r}")

    def skip_blank(self) -> None:
        while self.pos < len(self.lines) and not self.lines[self.pos]:
            self.pos += 1

    def at_end(self) -> bool:
        return self.pos >= len(self.lines)

    def current(self) -> str:
        return self.lines[self.pos]

    def block(self) -> list[str]:
        """Consecutive non-blank lines from the cursor, stopping before a paper's date line."""
        out = []
        while self.pos < len(self.lines) and self.lines[self.pos] and not _HEADER.match(self.lines[self.pos]):
            out.append(self.lines[self.pos])
            self.pos += 1
        return out


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _category(lines: _Lines, code: str, line: int) -> str:
    name = arxiv_category(code)
    if name is None:
        raise lines.error(f"a known arXiv category code ({', '.join(sorted(CATEGORIES))})", line)
    return name


def parse_profile(text: str, source: str, year: int) -> ParsedProfile:
    """Read a profile text; `year` is given to dates without one. Errors name the line and what was expected."""
    lines = _Lines(text, source)
    lines.skip_blank()
    if lines.at_end():
        raise CorpusError(f"{source}: the file is empty (expected a researcher profile: a name, figures, papers)")
    name = lines.current()
    if _HEADER.match(name) or any(f.match(name) for f in _FIGURES.values()):
        raise lines.error("the researcher's name on the first line")
    lines.pos += 1
    category = ""
    figures: dict[str, int] = {}
    heading: tuple[int, int] | None = None  # (line, count)
    while True:
        lines.skip_blank()
        if lines.at_end():
            raise lines.error(f"the first paper, a line such as {_HEADER_EXAMPLE}")
        line = lines.current()
        if _HEADER.match(line):
            break
        figure = next(((key, m) for key, f in _FIGURES.items() if (m := f.match(line))), None)
        heading_match = _HEADING.match(line)
        if figure is not None and figure[0] not in figures:
            figures[figure[0]] = _number(figure[1].group("n"))
        elif heading_match and heading is None:
            heading = (lines.pos + 1, _number(heading_match.group("n")))
        elif re.fullmatch(r"[A-Z]{2}", line) and not category and not figures and heading is None:
            category = _category(lines, line, lines.pos + 1)
        else:
            raise lines.error(
                f'the main category code (LG), a figure ({_FIGURE_EXAMPLES}), the heading "15 Papers" '
                f"or the first paper, a line such as {_HEADER_EXAMPLE}"
            )
        lines.pos += 1
    entries = []
    while not lines.at_end():
        entries.append(_parse_entry(lines, year))
        lines.skip_blank()
    if heading is not None and heading[1] != len(entries):
        raise CorpusError(
            f"{source}: line {heading[0]}: the heading announces {heading[1]} papers but {len(entries)} were found "
            "(is part of the list missing, or two papers run together?)"
        )
    profile = Profile(
        name=_clean(name),
        category=category,
        h_index=figures.get("h_index"),
        paper_count=figures.get("paper_count"),
        citations=figures.get("citations"),
        novelty=figures.get("novelty"),
        ai_score=figures.get("ai_score"),
        year=year,
    )
    return ParsedProfile(source, profile, tuple(entries))


def _parse_entry(lines: _Lines, year: int) -> ProfileEntry:
    at = lines.pos + 1
    header = _HEADER.match(lines.current())
    if header is None:
        raise lines.error(f"a paper's first line, such as {_HEADER_EXAMPLE}")
    category = _category(lines, header.group("code"), at)
    month = _MONTHS.get(header.group("month").lower())
    yearless = header.group("year") is None
    try:
        if month is None:
            raise ValueError
        date = dt.date(year if yearless else int(header.group("year")), month, int(header.group("day")))
    except ValueError:
        raise lines.error(f"a real date such as {_HEADER_EXAMPLE}", at) from None
    lines.pos += 1
    title = lines.block()
    if not title:
        raise lines.error(f"the title of the paper dated on line {at}, on the line after the date")
    lines.skip_blank()
    authors_at = lines.pos + 1
    authors_line = lines.block()
    if not authors_line:
        raise lines.error(f'the authors of "{_clean(" ".join(title))}" (names separated by commas)')
    lines.skip_blank()
    paragraphs = []
    while not lines.at_end() and not _HEADER.match(lines.current()):
        paragraphs.append(" ".join(lines.block()))
        lines.skip_blank()
    if not paragraphs:
        raise lines.error(f'the abstract of "{_clean(" ".join(title))}"')
    authors_text, _, organisation = " ".join(authors_line).partition(" · ")
    truncated = bool(_ET_AL.search(authors_text))
    names = tuple(_clean(n) for n in _ET_AL.sub("", authors_text).split(","))
    if not all(names):
        raise lines.error("authors separated by single commas (an empty name was found)", authors_at)
    abstract = "\n\n".join(_clean(p) for p in paragraphs)
    marker = header.group("marker") is not None
    return ProfileEntry(
        line=at,
        category=category,
        date=date,
        yearless=yearless,
        code_marker=marker,
        title=_clean(" ".join(title)),
        authors=names,
        authors_truncated=truncated,
        organisation=_clean(organisation),
        abstract=abstract,
        code_url=_code_url(abstract, marker),
    )


def _code_url(abstract: str, marker: bool) -> str | None:
    """The URL an abstract gives for its code: any URL when the profile says "Code", else a code host's."""
    for match in _URL.finditer(abstract):
        url = match.group(0).rstrip(".,;:!?")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if marker or on_code_host(url):
            return url
    return None


# -- metadata --------------------------------------------------------------------------------


def read_profile(path: Path, year: int | None = None) -> SourceResult:
    """The papers and figures of a profile text; `year` (default: the file's modification year) dates
    the entries that give none."""
    raw = read_bytes(path, "a researcher profile text", CorpusError, CONFIG_MAX_BYTES)
    if year is None:
        year = dt.date.fromtimestamp(path.stat().st_mtime).year
    parsed = parse_profile(decode_utf8(raw, str(path), CorpusError), str(path), year)
    firsts: dict[str, ProfileEntry] = {}
    for entry in parsed.entries:
        first = firsts.setdefault(" ".join(tokens(entry.title)), entry)
        if first is not entry:
            raise CorpusError(f'{path}: line {entry.line}: "{entry.title}" is listed twice (also at line {first.line})')
    source = f"profile:{path.name}"
    records = tuple(
        Record(
            title=e.title, source=source, authors=e.authors, authors_truncated=e.authors_truncated,
            year=e.date.year, month=e.date.month, day=e.date.day, abstract=e.abstract, code=e.code_url,
            category=e.category, organisation=e.organisation or None,
        )
        for e in parsed.entries
    )  # fmt: skip
    warnings = tuple(
        f'{path}: line {e.line} ("{e.title}"): the profile marks code but its abstract gives no URL'
        for e in parsed.entries if e.code_marker and e.code_url is None
    )  # fmt: skip
    p = parsed.profile
    figures = AuthorFigures(
        source="profile page", name=p.name, h_index=p.h_index, citations=p.citations, works_count=p.paper_count,
        category=p.category or None, novelty=p.novelty, ai_score=p.ai_score,
    )  # fmt: skip
    return SourceResult(source=source, records=records, figures=figures, warnings=warnings)
