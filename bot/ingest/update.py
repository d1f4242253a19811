"""Update: a corpus file re-read from the sources it records, rewritten only when something changed.

A failed refresh changes nothing. A source that fails (timeout, HTTP error, a response that does
not parse), or that suddenly gives no papers, or fewer than half of those the file holds from it,
leaves the file byte for byte as it was, and the update says which source it was. Papers no source
lists any more are kept and marked (`missing_since`), unless `prune`: a source that drops a paper
is more often a glitch than a retraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.corpus import CorpusFile, read_corpus_file
from bot.core.models import Paper
from bot.errors import CorpusError, PaperbotError
from bot.ingest.pipeline import build, read_sources
from bot.ingest.writer import paper_fields, write_text
from bot.sources.http import HttpClient

# What changes about a paper that a member would want told; `sources` and the like are bookkeeping.
_TOLD = ("title", "date", "authors", "abstract", "venue", "doi", "arxiv", "url", "pdf", "code")


@dataclass(frozen=True)
class Changes:
    new: tuple[Paper, ...] = ()
    changed: tuple[tuple[Paper, tuple[str, ...]], ...] = ()  # (paper as it is now, fields that changed)
    missing: tuple[Paper, ...] = ()  # no longer in any source: kept and marked, or pruned
    returned: tuple[Paper, ...] = ()  # were missing, are back

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.missing or self.returned)

    def lines(self, pruned: bool = False) -> list[str]:
        """What changed, one line per paper, for the admin."""
        out = [f"  new: {p.title} ({p.date_iso})" for p in self.new]
        out += [f"  changed: {p.title}: {', '.join(fields)}" for p, fields in self.changed]
        verb = "pruned" if pruned else "kept, marked missing"
        out += [f"  no longer in any source ({verb}): {p.title}" for p in self.missing]
        out += [f"  back in a source: {p.title}" for p in self.returned]
        return out


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    ok: bool
    written: bool
    changes: Changes = field(default_factory=Changes)
    message: str = ""  # the failure, naming the source; or a summary
    public: str = ""  # the same without anything quoted from a file, for Discord

    def lines(self, pruned: bool = False) -> list[str]:
        head = f"{self.path}: " + (self.message or ("updated" if self.written else "no change"))
        return [head, *(self.changes.lines(pruned) if self.ok else [])]


def _compare(old: Sequence[Paper], new: Sequence[Paper]) -> tuple[list[Paper], list[tuple[Paper, tuple[str, ...]]]]:
    before = {p.id: p for p in old}
    added, changed = [], []
    for paper in new:
        was = before.get(paper.id)
        if was is None:
            added.append(paper)
            continue
        a, b = paper_fields(was), paper_fields(paper)
        fields = tuple(f for f in _TOLD if a.get(f) != b.get(f))
        if fields:
            changed.append((paper, fields))
    return added, changed


def _shrunk(file: CorpusFile, counts: Sequence[tuple[str, int]]) -> str | None:
    """The source that gave no papers, or under half of what the file holds from it, if any."""
    for source, records in counts:
        held = sum(1 for p in file.papers if source in {s for _, s in p.paper.sources})
        if held and (records == 0 or records < held / 2):
            return f"{source} gave {records} papers, but the corpus holds {held} from it (a glitch?)"
    return None


def update_corpus(
    path: Path,
    *,
    prune: bool = False,
    force: bool = False,
    contact: str = "",
    client: Callable[[], HttpClient] | None = None,
    base_urls: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> UpdateResult:
    """Re-read `path`'s sources and rewrite it atomically if anything changed; never raises for a source."""
    today = today or dt.date.today()
    try:
        file = read_corpus_file(path)
    except PaperbotError as err:
        return UpdateResult(path, False, False, message=f"cannot update: {err}", public=f"cannot update: {err.public}")
    if not file.built_from or not file.built_from.get("sources"):
        return UpdateResult(path, False, False, message="cannot update: the file records no sources (built_from)")
    built = file.built_from
    old = [p.paper for p in file.papers]
    specs = [str(s) for s in built["sources"]]
    overrides = Path(str(built["overrides"])) if built.get("overrides") else None
    researcher = str(built.get("researcher") or file.profile.name)
    try:
        results = read_sources(specs, year=file.profile.year, contact=contact, base=path.parent, client=client,
                               base_urls=base_urls)  # fmt: skip
        fresh = build(results, specs, researcher, path, overrides_path=overrides, year=file.profile.year,
                      base=path.parent)  # fmt: skip
    except PaperbotError as err:
        return UpdateResult(path, False, False, message=f"unchanged: a source failed: {err}",
                            public=f"unchanged: a source failed: {err.public}")  # fmt: skip
    if (problem := _shrunk(file, fresh.records)) and not force:
        said = f"unchanged: {problem}; `update --force` accepts it"
        return UpdateResult(path, False, False, message=said, public=said)
    added, changed = _compare(old, fresh.papers)
    current = {p.id for p in fresh.papers}
    gone = [p for p in old if p.id not in current]
    missing_before = {p.id for p in old if p.missing_since}
    returned = [p for p in fresh.papers if p.id in missing_before]
    changes = Changes(tuple(added), tuple(changed), tuple(p for p in gone if not p.missing_since), tuple(returned))
    if gone and not prune:
        # The sources were read once; only the merge runs again, with the vanished papers kept.
        kept = [replace(p, members=(), missing_since=p.missing_since or today) for p in gone]
        fresh = build(results, specs, researcher, path, overrides_path=overrides, year=file.profile.year,
                      base=path.parent, kept=kept)  # fmt: skip
    text = fresh.text
    if text == path.read_text(encoding="utf-8"):
        return UpdateResult(path, True, False, changes)
    try:
        write_text(path, text)
    except CorpusError as err:
        return UpdateResult(path, False, False, changes, f"unchanged: {err}", f"unchanged: {err.public}")
    return UpdateResult(path, True, True, changes)
