"""Ingest: a researcher profile (text copied from a profile page) plus optional metadata -> corpus YAML.

The profile looks like this (see /work/shared/corpus-source for a whole one):

    Alexander Meulemans          name
    LG                           main category code
    h-index75 / 15papers / 436citations / Novelty62% / AI Score55
    15 Papers                    heading of the list
    LGSep 11, 2023               per paper: category code, date ("Feb 18" has no year), optional "Code"
    Title
    Author, Author, Author et al. · organisation
    Abstract, which may quote a code URL.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote_plus, urlsplit

import yaml

from bot.core.categories import CATEGORIES, arxiv_category
from bot.core.corpus import (
    FieldError,
    arxiv_value,
    check_keys,
    date_value,
    names_value,
    text_value,
    url_value,
    validate_corpus_data,
)
from bot.core.models import Corpus, Paper, Profile
from bot.core.text import fold, printable, tokens
from bot.errors import CorpusError
from bot.files import decode_utf8
from bot.yamlfile import read_yaml, safe_load

T = TypeVar("T")

METADATA_NAME = "papers-metadata.yaml"  # looked for beside the profile when --metadata is not given
METADATA_KEYS = ("title", "arxiv", "authors", "date", "venue", "code", "source")

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
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")

# Words left out of ids so that "A Theoretical Framework for ..." becomes theoretical-framework-target.
_ID_SKIP = frozenset("a an and as at by for from in into of on or the through to using via with".split())
# An id takes title words until it has this many word parts and characters: short, yet telling.
_ID_MIN_TOKENS = 3
_ID_MIN_CHARS = 16


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


@dataclass(frozen=True)
class MetadataEntry:
    """Verified bibliographic facts about one paper, matched to the profile by title."""

    index: int  # 1-based place in the metadata file
    title: str
    arxiv: str | None = None
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    venue: str | None = None
    code: str | None = None
    source: str | None = None  # where the facts were read, kept as a comment in the corpus


@dataclass(frozen=True)
class IngestResult:
    """What an ingest produced: the corpus, its YAML text, and what the user should hear about."""

    corpus: Corpus
    year: int
    with_metadata: int  # papers that a metadata entry matched
    text: str
    warnings: tuple[str, ...]


def _clean(text: str) -> str:
    # Control characters from a source never reach the corpus: a title must not drive a terminal.
    return " ".join(printable(unicodedata.normalize("NFC", text)).split())


def title_key(title: str) -> str:
    """How titles are compared: case, punctuation, whitespace and accents do not count."""
    key = " ".join(tokens(title.replace("'", "").replace("’", "")))
    # A title in a script `tokens` does not read (no Latin letters or digits) is compared as it is.
    return key or " ".join(title.casefold().split())


# -- the profile text ------------------------------------------------------------------------


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
        host = urlsplit(url).netloc.lower().removeprefix("www.")
        if marker or host in _CODE_HOSTS:
            return url
    return None


# -- metadata --------------------------------------------------------------------------------


def read_metadata(path: Path) -> tuple[MetadataEntry, ...]:
    """Read and validate a metadata file: `papers:`, a list of entries with at least a title."""
    data = read_yaml(path, "a mapping with a list under papers", CorpusError)
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: expected a mapping with a list under papers at the top level")
    check_keys(str(path), data, ("papers",), ("papers",))
    items = data["papers"]
    if not isinstance(items, list):
        raise CorpusError(f"{path}: papers: expected a list of entries with title, arxiv, authors...")
    entries: list[MetadataEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items, 1):
        where = f"{path}: entry {i}"
        if not isinstance(item, dict):
            raise CorpusError(f"{where}: expected a mapping with {', '.join(METADATA_KEYS)}")
        if isinstance(item.get("title"), str):
            where = f'{where} ("{_clean(item["title"])}")'
        check_keys(where, item, METADATA_KEYS, ("title",))
        try:
            entry = MetadataEntry(
                index=i,
                title=_clean(_checked("title", item, text_value) or ""),
                arxiv=_checked("arxiv", item, arxiv_value),
                authors=tuple(_clean(a) for a in _checked("authors", item, names_value) or ()),
                date=_checked("date", item, date_value),
                venue=_checked("venue", item, text_value),
                code=_checked("code", item, url_value),
                source=_checked("source", item, text_value),
            )
        except _BadField as err:
            raise CorpusError(f"{where}: {err.key}: {err.problem}") from None
        first = seen.setdefault(title_key(entry.title), i)
        if first != i:
            raise CorpusError(f"{where}: title: the same title as entry {first} (titles are matched ignoring case)")
        entries.append(entry)
    return tuple(entries)


class _BadField(Exception):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key = key
        self.problem = problem


def _checked(key: str, item: dict[Any, Any], convert: Callable[[object], T]) -> T | None:
    if item.get(key) is None:
        return None
    try:
        return convert(item[key])
    except FieldError as err:
        raise _BadField(key, str(err)) from None


# -- the corpus ------------------------------------------------------------------------------


def _id_words(title: str) -> list[str]:
    """The title's words as id parts: hyphenated words stay one ("multi-agent"), small words go."""
    words = []
    for word in title.replace("'", "").replace("’", "").split():
        parts = tokens(word)
        if parts and not (len(parts) == 1 and parts[0] in _ID_SKIP):
            words.append("-".join(parts))
    return words or ["paper"]


def _first_words(words: Sequence[str]) -> int:
    """How many words an id starts with: enough for its minimum of parts and characters."""
    n = 1
    while n < len(words):
        head = "-".join(words[:n])
        if head.count("-") + 1 >= _ID_MIN_TOKENS and len(head) >= _ID_MIN_CHARS:
            break
        n += 1
    return n


def paper_ids(titles: Sequence[str]) -> list[str]:
    """Short readable ids from titles: the first words, more of them where two titles begin alike."""
    words = [_id_words(t) for t in titles]
    lengths = [_first_words(w) for w in words]
    while True:
        ids = ["-".join(w[:n]) for w, n in zip(words, lengths, strict=True)]
        groups: defaultdict[str, list[int]] = defaultdict(list)
        for i, pid in enumerate(ids):
            groups[pid].append(i)
        grew = False
        for members in groups.values():
            for i in members if len(members) > 1 else ():
                if lengths[i] < len(words[i]):
                    lengths[i] += 1
                    grew = True
        if not grew:
            break
    # Titles with the very same words are told apart by number, in the order given.
    out: list[str] = []
    for pid in ids:
        candidate, n = pid, 1
        while candidate in out or (candidate != pid and candidate in ids):
            n += 1
            candidate = f"{pid}-{n}"
        out.append(candidate)
    return out


def _merge(source: str, entry: ProfileEntry, meta: MetadataEntry | None, meta_source: str, warn: list[str]) -> Paper:
    where = f'{source}: line {entry.line} ("{entry.title}")'
    date = entry.date
    if meta is not None and meta.date is not None:
        if meta.date != entry.date:
            warn.append(
                f"{where}: the profile's date {entry.date.isoformat()} differs from {meta.date.isoformat()} "
                f"in {meta_source}, entry {meta.index}; using the metadata's"
                + (" (check --year)" if entry.yearless else "")
            )
        date = meta.date
    authors, truncated = entry.authors, entry.authors_truncated
    if meta is not None and meta.authors:
        known = {fold(a) for a in meta.authors}
        missing = [a for a in entry.authors if fold(a) not in known]
        if missing:
            warn.append(
                f"{where}: {', '.join(missing)} from the profile not in the authors of {meta_source}, "
                f"entry {meta.index}; using the metadata's list"
            )
        authors, truncated = meta.authors, False
    arxiv = meta.arxiv if meta else None
    if arxiv and re.match(r"\d{4}\.", arxiv) and arxiv[:4] != date.strftime("%y%m"):
        warn.append(f"{where}: arXiv id {arxiv} is not from {date.strftime('%B %Y')}, the paper's date")
    code = (meta.code if meta else None) or entry.code_url
    if entry.code_marker and code is None:
        warn.append(f"{where}: the profile marks code but neither the abstract nor the metadata gives its URL")
    search = f"https://arxiv.org/search/?query={quote_plus(entry.title)}&searchtype=title"
    return Paper(
        id="",  # given once all titles are known
        title=entry.title,
        date=date,
        category=entry.category,
        organisation=entry.organisation,
        authors=authors,
        authors_truncated=truncated,
        abstract=entry.abstract,
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else search,
        pdf=f"https://arxiv.org/pdf/{arxiv}" if arxiv else None,
        code=code,
        venue=meta.venue if meta else None,
        arxiv=arxiv,
    )


def build_corpus(
    parsed: ParsedProfile, metadata: Sequence[MetadataEntry], meta_source: str = "the metadata"
) -> tuple[Corpus, dict[str, MetadataEntry], list[str]]:
    """Merge metadata into the profile's papers by title; the corpus, the entry each paper used, warnings."""
    warnings: list[str] = []
    by_title = {title_key(m.title): m for m in metadata}
    firsts: dict[str, ProfileEntry] = {}
    used: dict[int, MetadataEntry] = {}
    papers = []
    for entry in parsed.entries:
        key = title_key(entry.title)
        first = firsts.setdefault(key, entry)
        if first is not entry:
            raise CorpusError(
                f'{parsed.source}: line {entry.line}: "{entry.title}" is listed twice (also at line {first.line})'
            )
        meta = by_title.get(key)
        papers.append(_merge(parsed.source, entry, meta, meta_source, warnings))
        if meta is not None:
            used[len(papers) - 1] = meta
    matched = {m.index for m in used.values()}
    for m in metadata:
        if m.index not in matched:
            warnings.append(
                f'{meta_source}: entry {m.index} ("{m.title}") matches no paper of the profile '
                "(titles are compared ignoring case, punctuation and accents)"
            )
    # Newest first; a stable sort keeps the profile's order within a day.
    order = sorted(range(len(papers)), key=lambda i: papers[i].date, reverse=True)
    ids = paper_ids([papers[i].title for i in order])
    ordered = [replace(papers[i], id=pid) for i, pid in zip(order, ids, strict=True)]
    notes = {pid: used[i] for i, pid in zip(order, ids, strict=True) if i in used}
    return Corpus(profile=parsed.profile, papers=tuple(ordered)), notes, warnings


# -- the YAML --------------------------------------------------------------------------------


class _Folded(str):
    """A long text written as a folded block, which reads like a paragraph."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write YAML by hand.
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _Folded, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=">")
)


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _paper_fields(paper: Paper) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "date": paper.date,
        "category": paper.category,
        "organisation": paper.organisation,
        "authors": list(paper.authors),
        "authors_truncated": paper.authors_truncated,
        "abstract": _Folded(paper.abstract),
        "url": paper.url,
        "pdf": paper.pdf,
        "code": paper.code,
        "venue": paper.venue,
        "arxiv": paper.arxiv,
    }
    return {k: v for k, v in fields.items() if v is not None}


def render_corpus(corpus: Corpus, year: int, header: Sequence[str], notes: dict[str, MetadataEntry]) -> str:
    """The corpus as YAML: header comment, profile block, papers newest first with their metadata source."""
    p = corpus.profile
    profile: dict[str, object] = {
        "name": p.name,
        "category": p.category,
        "h_index": p.h_index,
        "paper_count": p.paper_count,
        "citations": p.citations,
        "novelty": p.novelty,
        "ai_score": p.ai_score,
        "year": year,
        "taken": p.taken,
    }
    parts = ["".join(f"# {line}".rstrip() + "\n" for line in header), "\n"]
    parts.append(_dump({"profile": {k: v for k, v in profile.items() if v is not None}}))
    parts.append("\npapers:\n")
    for i, paper in enumerate(corpus.papers):
        if i:
            parts.append("\n")
        note = notes.get(paper.id)
        if note is not None and note.source:
            parts.append(f"  # metadata: {' '.join(note.source.split())}\n")
        parts.append(textwrap.indent(_dump([_paper_fields(paper)]), "  "))
    return "".join(parts)


def _header(profile_path: Path, metadata_path: Path | None, year: int, year_given: bool, output_name: str) -> list[str]:
    command = f"python -m bot ingest {profile_path.name}"
    if metadata_path is not None:
        command += f" --metadata {metadata_path.name}"
    command += f" --year {year} -o {output_name}"
    sources = f"{profile_path.name} (researcher profile)"
    sources += (
        f" and {metadata_path.name} (bibliographic metadata, merged by title)."
        if metadata_path is not None
        else "; no metadata file, so author lists may end in et al."
    )
    why = "given with --year" if year_given else "the year the profile file was last modified"
    prose = [
        "Generated by `python -m bot ingest`: do not edit by hand. Fix the sources and run it again.",
        f"Sources: {sources}",
        f'Dates the profile gives without a year ("Feb 18") are in {year}, the year the profile was taken '
        f"({why}; recorded as profile.year). Metadata dates take precedence.",
    ]
    lines = [line for text in prose for line in textwrap.wrap(text, 96)]
    return [*lines, "Command (file names without their directories):", f"  {command}"]


def ingest(
    profile_path: Path, metadata_path: Path | None = None, year: int | None = None, output_name: str = "corpus.yaml"
) -> IngestResult:
    """Parse the profile, merge the metadata (or papers-metadata.yaml beside it) and render the corpus YAML."""
    try:
        raw = profile_path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{profile_path}: no such file (expected a researcher profile text)") from None
    except OSError as err:
        raise CorpusError(f"{profile_path}: cannot read: {err.strerror}") from None
    year_given = year is not None
    if year is None:
        year = dt.date.fromtimestamp(profile_path.stat().st_mtime).year
    parsed = parse_profile(decode_utf8(raw, str(profile_path), CorpusError), str(profile_path), year)
    if metadata_path is None and (profile_path.parent / METADATA_NAME).is_file():
        metadata_path = profile_path.parent / METADATA_NAME
    metadata = read_metadata(metadata_path) if metadata_path is not None else ()
    corpus, notes, warnings = build_corpus(parsed, metadata, str(metadata_path))
    header = _header(profile_path, metadata_path, year, year_given, output_name)
    text = render_corpus(corpus, year, header, notes)
    # The file must read back as exactly what was built: the writer and the loader agree.
    data = safe_load(text)
    reread = validate_corpus_data(data, output_name)
    same = reread.profile == corpus.profile and reread.papers == corpus.papers
    if not (same and isinstance(data, dict) and data["profile"].get("year") == year):
        raise RuntimeError(f"the corpus YAML for {profile_path} does not read back as written")
    return IngestResult(replace(corpus, sources=(output_name,)), year, len(notes), text, tuple(warnings))


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text all at once: a failure leaves any previous file whole."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise CorpusError(f"{path}: cannot write here: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise CorpusError(f"{path}: cannot write: {err.strerror}") from None
