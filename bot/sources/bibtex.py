"""A researcher's .bib file (al-folio, Google Scholar, DBLP, ADS, Zotero/Better BibTeX) into records.

bibtexparser 2 splits the file into blocks; its middlewares then resolve @string macros, remove the
braces or quotes around values, turn months into numbers, split author lists into name parts and
decode LaTeX (through pylatexenc). What it reports as a failed block, and what real files get wrong
without it noticing (a missing comma), becomes a warning naming the file, the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    MonthIntMiddleware,
    NameParts,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
    Preamble,
    String,
)

from bot.sources.errors import SourceError
from bot.sources.ids import bare_arxiv, bare_doi, date_parts, month_number, year_number
from bot.sources.latex import literal_specials
from bot.sources.records import Record, SourceResult, clean

MAX_BYTES = 50 * 1024 * 1024  # a lab's .bib is kilobytes; anything this large is not one

# Fields whose values are prose and may hold LaTeX. Everything else (url, doi, eprint, file, pdf...)
# is verbatim: decoding would eat a URL's "%20" as a LaTeX comment or its "~user" as a space.
_TEXT_FIELDS = frozenset(
    """title author editor journal journaltitle booktitle abstract school institution publisher
    series howpublished organization""".split()
)
_NAME_FIELDS = ("author", "editor")
_ENTRY_START = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
# A value followed by another field without the comma between them: `titleaddon = {x}\n journal = {y}`.
_NEXT_FIELD = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=")
_VERBATIM_ESCAPES = re.compile(r"\\([_%&#$~])")
_URL_MACRO = re.compile(r"\\url\s*\{([^}]*)\}")
_TRUE = frozenset({"true", "yes", "1"})
# Equal-contribution and corresponding-author marks some al-folio files put after a name.
_NAME_MARKS = "*†‡#"
_Getter = Callable[[str], str]  # a field look-up: the entry's value, else its crossref parent's


class _DecodeTextFields(LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, applied to prose fields only (see `_TEXT_FIELDS`)."""

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        verbatim = [f for f in entry.fields if f.key not in _TEXT_FIELDS]
        entry.fields = [f for f in entry.fields if f.key in _TEXT_FIELDS]
        errors: list[str] = []
        for field in entry.fields:
            # The base class decodes a field holding one NameParts, not the list SplitNameParts makes.
            if isinstance(field.value, list):
                for person in field.value:
                    if isinstance(person, NameParts):
                        for part in ("first", "von", "last", "jr"):
                            setattr(person, part, self._transform_all_strings(getattr(person, part), errors))
        names = [f for f in entry.fields if isinstance(f.value, list)]
        entry.fields = [f for f in entry.fields if not isinstance(f.value, list)]
        try:
            return super().transform_entry(entry, library)
        finally:
            entry.fields = entry.fields + names + verbatim

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        return super()._transform_python_value_string(literal_specials(python_string))


class _SplitNames(SplitNameParts):
    """bibtexparser's name splitting, which reads a malformed name leniently instead of failing the entry."""

    def __init__(self) -> None:
        super().__init__(name_fields=_NAME_FIELDS)
        self.malformed: list[str] = []

    def _transform_field_value(self, name: list[str]) -> list[NameParts]:
        parts: list[NameParts] = []
        for one in name:
            try:
                parts.append(parse_single_name_into_parts(one))
            except InvalidNameError:
                # "Reed, Courtney N.," (a trailing comma) is still plainly one person's name.
                self.malformed.append(one)
                parts.append(parse_single_name_into_parts(one.strip().strip(","), strict=False))
        return parts


def _block_middlewares(splitter: _SplitNames) -> list[BlockMiddleware]:
    # Names are split before decoding so that braces still protect "{Simon and Schuster}" and
    # "{{ZuHone}, John}"; the decoder then decodes each name part.
    return [
        RemoveEnclosingMiddleware(),
        MonthIntMiddleware(),
        SeparateCoAuthors(name_fields=_NAME_FIELDS),
        splitter,
        _DecodeTextFields(),
    ]


def read_bibtex(path: str | Path) -> SourceResult:
    """Read a .bib file into records; raises SourceError if it cannot be read or is not BibTeX."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise SourceError(f"{path}: cannot read the BibTeX file ({err.strerror or err})") from err
    if len(data) > MAX_BYTES:
        raise SourceError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; not a BibTeX file of papers")
    if b"\x00" in data:
        raise SourceError(f"{path}: a binary file, not BibTeX")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older tools (JabRef, BibDesk) wrote Latin-1; every byte decodes, so nothing is lost.
        text = data.decode("latin-1")
        warnings.append(f"{path.name}: not UTF-8; read as Latin-1, check accented names")
    return parse_bibtex(text, source=f"bibtex:{path.name}", name=path.name, warnings=warnings)


def parse_bibtex(text: str, source: str, name: str = "BibTeX", warnings: Sequence[str] = ()) -> SourceResult:
    """Records from BibTeX text; `name` is how warnings and errors call the file."""
    if not _ENTRY_START.search(text):
        raise SourceError(f"{name}: no BibTeX entries (no '@type{{key, ...}}'); is this a BibTeX file?")
    library = parse_string(text, parse_stack=[])
    out = list(warnings)
    strings: list[Block] = []
    entries: list[Entry] = []
    for block in library.blocks:
        if isinstance(block, String):
            strings.append(block)
        elif isinstance(block, Entry):
            entries.append(_repaired(block, name, out))
        elif isinstance(block, DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, Entry):
            entries.append(_repaired(block.ignore_error_block, name, out))
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            # Kept: a repeated key is usually a copy-paste slip, and dropping the second entry could
            # lose a paper; the duplicate records are for whoever merges sources to collapse.
            out.append(f"{name}: line {_line(block)}: entry key {block.key!r} is used twice; both entries kept")
            entries.append(_repaired(block.ignore_error_block, name, out))
        elif isinstance(block, ParsingFailedBlock):
            out.append(f"{name}: line {_line(block)}: a block could not be read and was skipped ({block.error})")
        elif isinstance(block, Preamble):
            continue
    if not entries and not strings and not library.failed_blocks:
        raise SourceError(f"{name}: no BibTeX entries found; is this a BibTeX file?")

    entries = [e for e in (_transformed(e, strings, name, out) for e in entries) if e is not None]
    records = _records(entries, source, name, out)
    missing = sum(1 for r in records if not r.abstract)
    if missing:
        out.append(f"{name}: {missing} of {len(records)} entries have no abstract (kept; answers will use the title)")
    return SourceResult(source=source, records=tuple(records), warnings=tuple(out))


def _line(block: Block) -> str:
    # bibtexparser counts lines from 0.
    return str(block.start_line + 1) if block.start_line is not None else "?"


def _repaired(entry: Entry, name: str, warnings: list[str]) -> Entry:
    """The entry with field keys lower-cased, a repeated field read once, and missing commas mended."""
    fields: list[Field] = []
    for field in entry.fields:
        fields.extend(_split_missing_comma(field, entry, name, warnings))
    kept: dict[str, Field] = {}
    repeated: list[str] = []
    for field in fields:
        key = field.key.lower()
        field.key = key
        # The first value wins, as in BibTeX itself ("I'm ignoring ...'s extra field").
        if key in kept:
            repeated.append(key)
        else:
            kept[key] = field
    if repeated:
        keys = ", ".join(sorted(set(repeated)))
        warnings.append(
            f"{name}: line {_line(entry)}: entry {entry.key!r} repeats the field(s) {keys}; the first value is used"
        )
    entry.fields = list(kept.values())
    return entry


def _split_missing_comma(field: Field, entry: Entry, name: str, warnings: list[str]) -> list[Field]:
    """`field`, or it and the fields that a missing comma after it swallowed into its value."""
    value = field.value
    if not isinstance(value, str) or value[:1] not in ('{', '"'):
        return [field]
    end = _closing(value)
    if end is None or end == len(value) - 1 or not _NEXT_FIELD.match(value, end + 1):
        return [field]
    rest = value[end + 1 :]
    warnings.append(
        f"{name}: line {field.start_line + 1}: entry {entry.key!r} misses the comma after field "
        f"{field.key!r}; the fields after it were read anyway"
    )
    field.value = value[: end + 1]
    mended = parse_string("@misc{mended,\n" + rest + "\n}", parse_stack=[])
    extra: list[Field] = []
    for block in mended.blocks:
        candidate = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else block
        if isinstance(candidate, Entry):
            for more in candidate.fields:
                extra.extend(_split_missing_comma(more, entry, name, warnings))
    return [field, *extra]


def _closing(value: str) -> int | None:
    """Index of the brace or quote that closes the value opened at value[0]."""
    if value[0] == '"':
        depth = 0
        for i, ch in enumerate(value[1:], start=1):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == '"' and depth == 0 and value[i - 1] != "\\":
                return i
        return None
    depth = 0
    for i, ch in enumerate(value):
        if ch == "{" and (i == 0 or value[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and (i == 0 or value[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
    return None


def _transformed(entry: Entry, strings: list[Block], name: str, warnings: list[str]) -> Entry | None:
    """The entry through bibtexparser's middlewares; a middleware that fails is reported and skipped."""
    # One small library per entry: @string macros resolve against the file's strings, and an entry
    # whose key repeats another's is not turned into a failed block again.
    library = ResolveStringReferencesMiddleware().transform(Library(blocks=[*strings, entry]))
    block: Block = library.entries[0] if library.entries else entry
    splitter = _SplitNames()
    for middleware in _block_middlewares(splitter):
        result = middleware.transform_block(block, library)
        if isinstance(result, ParsingFailedBlock):
            warnings.append(
                f"{name}: line {_line(block)}: entry {entry.key!r}: {middleware.metadata_key()} failed "
                f"({result.error}); that step was skipped"
            )
            result = result.ignore_error_block
        if not isinstance(result, Entry):
            return None
        block = result
    for malformed in splitter.malformed:
        warnings.append(
            f"{name}: line {_line(entry)}: entry {entry.key!r}: malformed name {malformed!r}, read leniently"
        )
    return block if isinstance(block, Entry) else None


def _records(entries: list[Entry], source: str, name: str, warnings: list[str]) -> list[Record]:
    by_key = {e.key.lower(): e for e in entries}
    # DBLP's "with crossref" export lists each proceedings volume once and points papers at it.
    referenced = {_text(e, "crossref").lower() for e in entries if _text(e, "crossref")}
    records: list[Record] = []
    for entry in entries:
        if entry.entry_type.lower() == "proceedings" and entry.key.lower() in referenced:
            continue  # a volume the papers point at, not a paper
        parent = by_key.get(_text(entry, "crossref").lower())
        record = _record(entry, parent, source)
        if record is None:
            warnings.append(f"{name}: line {_line(entry)}: entry {entry.key!r} has no title and was skipped")
            continue
        records.append(record)
    return records


def _record(entry: Entry, parent: Entry | None, source: str) -> Record | None:
    def get(key: str) -> str:
        return _text(entry, key) or (_text(parent, key) if parent is not None else "")

    title = get("title")
    if not clean(title):
        return None
    authors, truncated = _names(entry.fields_dict.get("author"))
    year, month, day = _date(entry, parent)
    url = _verbatim(get("url")) or _verbatim(get("html")) or None
    doi = bare_doi(_verbatim(get("doi"))) or bare_doi(url if url and "doi.org/" in url else None)
    return Record(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        year=year,
        month=month,
        day=day,
        abstract=get("abstract"),
        venue=_venue(entry, get),
        doi=doi,
        arxiv=_arxiv(get, url, doi),
        url=url,
        pdf=_verbatim(get("pdf")) or None,
        code=_verbatim(get("code")) or None,
        category=_verbatim(get("primaryclass")) or None,
        kind=entry.entry_type.lower(),
        selected=_verbatim(_text(entry, "selected")).lower() in _TRUE,
        source=source,
        key=entry.key,
    )


def _text(entry: Entry | None, key: str) -> str:
    if entry is None:
        return ""
    field = entry.fields_dict.get(key)
    if field is None or field.value is None:
        return ""
    return str(field.value).strip()


def _verbatim(value: str) -> str:
    """A URL-like value as written, without the escapes and braces BibTeX needs around it."""
    value = _URL_MACRO.sub(r"\1", value)
    return clean(_VERBATIM_ESCAPES.sub(r"\1", value).replace("{", "").replace("}", ""))


def _names(field: Field | None) -> tuple[tuple[str, ...], bool]:
    """Display names ("First von Last, Jr") and whether the list ended in "and others"."""
    if field is None:
        return (), False
    value = field.value
    people: Iterable[object] = value if isinstance(value, list) else [value]
    names: list[str] = []
    truncated = False
    for person in people:
        if isinstance(person, NameParts):
            if not person.first and not person.von and not person.jr and person.last == ["others"]:
                truncated = True
                continue
            display = " ".join([*person.first, *person.von, *person.last])
            if person.jr:
                display += ", " + " ".join(person.jr)
        else:
            display = str(person)
            if display.strip() == "others":
                truncated = True
                continue
        display = clean(display.replace("{", "").replace("}", "")).strip(_NAME_MARKS + " ")
        if display:
            names.append(display)
    return tuple(names), truncated


def _date(entry: Entry, parent: Entry | None) -> tuple[int | None, int | None, int | None]:
    """Year, month and day from `year`/`month`, else from biblatex's `date = {2021-11-15}`."""
    source = entry if entry.fields_dict.get("year") or entry.fields_dict.get("date") else parent
    if source is None:
        return None, None, None
    year = year_number(_text(source, "year"))
    d_year, d_month, d_day = date_parts(_text(source, "date"))
    month_field = source.fields_dict.get("month")
    month = month_number(month_field.value) if month_field is not None else None
    if year is None:
        return d_year, month or d_month, d_day
    # Zotero writes both `date` (online first) and `year` (the issue); the year is the printed one,
    # and the date's month and day only belong to it when the years agree.
    if d_year == year:
        return year, month or d_month, d_day
    return year, month, None


def _venue(entry: Entry, get: _Getter) -> str | None:
    for key in ("journal", "journaltitle", "booktitle"):
        if get(key):
            return get(key)
    if entry.entry_type.lower() in {"phdthesis", "mastersthesis", "thesis"}:
        return get("school") or get("institution") or None
    if entry.entry_type.lower() == "techreport":
        return get("institution") or None
    return get("howpublished") or None


def _arxiv(get: _Getter, url: str | None, doi: str | None) -> str | None:
    """The arXiv id from al-folio's `arxiv`, an arXiv `eprint`, an arXiv journal line, URL or DOI."""
    if get("arxiv"):
        return bare_arxiv(_verbatim(get("arxiv")))
    prefix = (get("archiveprefix") or get("eprinttype")).lower()
    if get("eprint") and prefix in {"arxiv", ""}:
        found = bare_arxiv(_verbatim(get("eprint")))
        if found:
            return found
    for text in (get("journal"), url if url and "arxiv.org" in url else None, doi):
        if text and ("arxiv" in text.lower()):
            found = bare_arxiv(text)
            if found:
                return found
    return None

