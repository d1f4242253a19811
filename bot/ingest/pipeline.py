"""Ingest: sources in, one researcher's corpus file out.

    python -m bot ingest SOURCE... --researcher "Full Name" [--overrides FILE] -o corpus/NAME.yaml

Each SOURCE is a file (`.bib`, a profile `.txt`, a metadata `.yaml`, a saved OpenAlex / Semantic
Scholar / ORCID `.json`, an arXiv or DBLP `.xml`) or an online source (`orcid:ID`, `openalex:ID`,
`arxiv:"First Last"`, `dblp:PID`, `s2:ID`). Their records are merged (bot/ingest/merge.py), the
overrides apply last, ids stay those of the previous file, and the file is written only once it
reads back as exactly what was built.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.corpus import read_corpus_file, same_paper_keys, validate_corpus_data
from bot.core.models import Paper, Profile
from bot.core.names import is_spelling_of
from bot.errors import CorpusError, PaperbotError
from bot.ingest.ids import stable_ids
from bot.ingest.merge import merge
from bot.ingest.overrides import Overrides, apply, read_overrides
from bot.ingest.writer import render_corpus
from bot.sources import ONLINE, arxiv, bibtex, dblp, metadata, openalex, orcid, profile, s2
from bot.sources.errors import SourceError
from bot.sources.files import read_json
from bot.sources.http import HttpClient
from bot.sources.records import AuthorFigures, SourceResult
from bot.yamlfile import safe_load


@dataclass(frozen=True)
class IngestResult:
    """What an ingest built: the corpus text, and what the admin should hear about."""

    text: str
    papers: tuple[Paper, ...]
    profile: Profile
    report: tuple[str, ...]  # one line per source, then the merge
    warnings: tuple[str, ...]
    records: tuple[tuple[str, int], ...] = ()  # (source, records it gave), in the order given


def _saved_json(path: Path) -> SourceResult:
    """A saved JSON response, recognised by its shape: ORCID, Semantic Scholar or OpenAlex."""
    data = read_json(path, "JSON")
    if isinstance(data, dict) and "group" in data:
        return orcid.parse_orcid(data, f"orcid:{path.name}")
    if isinstance(data, dict) and ("authorId" in data or "paperId" in data or "data" in data):
        return s2.parse_s2(data, f"s2:{path.name}")
    return openalex.parse_openalex(data, f"openalex:{path.name}")


def _saved_xml(path: Path) -> SourceResult:
    head = path.read_bytes()[:2048]
    return arxiv.read_arxiv(path) if b"http://www.w3.org/2005/Atom" in head else dblp.read_dblp(path)


def read_source(
    spec: str,
    base: Path,
    year: int | None,
    client: Callable[[], HttpClient],
    base_urls: Mapping[str, str] | None = None,
) -> SourceResult:
    """One source, by its spec: a file (relative to `base`) or `kind:identifier` for an online one
    (`base_urls` points a kind at another server than the public API: a mirror, or a test's)."""
    kind, colon, identifier = spec.partition(":")
    if colon and kind in ONLINE and not (base / spec).exists():
        fetchers: dict[str, Callable[..., SourceResult]] = {
            "orcid": orcid.fetch_orcid, "openalex": openalex.fetch_openalex, "arxiv": arxiv.fetch_arxiv,
            "dblp": dblp.fetch_dblp, "s2": s2.fetch_s2,
        }  # fmt: skip
        where = {"base_url": base_urls[kind]} if base_urls and kind in base_urls else {}
        return fetchers[kind](identifier.strip().strip('"'), client(), **where)
    path = base / spec
    suffix = path.suffix.lower()
    readers: dict[str, Callable[[Path], SourceResult]] = {
        ".bib": bibtex.read_bibtex,
        ".txt": lambda p: profile.read_profile(p, year),
        ".yaml": metadata.read_metadata,
        ".yml": metadata.read_metadata,
        ".json": _saved_json,
        ".xml": _saved_xml,
    }
    if suffix not in readers:
        raise SourceError(
            f"{spec}: not a source paperbot reads (expected .bib, .txt, .yaml, .json or .xml, "
            f"or {', '.join(k + ':ID' for k in ONLINE)})"
        )
    if not path.is_file():
        raise SourceError(f"{spec}: no such file")
    return readers[suffix](path)


def _member(researcher: str, results: Sequence[SourceResult], overrides: Overrides | None, year: int | None) -> Profile:
    """The researcher, with the figures of the first source that reports any."""
    figures = next((r.figures for r in results if r.figures is not None and _has_figures(r.figures)), None)
    aliases = overrides.aliases if overrides else ()
    if figures is None:
        return Profile(name=researcher, aliases=aliases)
    profile_page = figures.source == "profile page"
    return Profile(
        name=researcher, aliases=aliases, category=figures.category or "", h_index=figures.h_index,
        paper_count=figures.works_count, citations=figures.citations, novelty=figures.novelty,
        ai_score=figures.ai_score, figures_source=figures.source, year=year if profile_page else None,
    )  # fmt: skip


def _has_figures(f: AuthorFigures) -> bool:
    return any(x is not None for x in (f.h_index, f.citations, f.works_count))


def _previous_ids(output: Path) -> dict[str, str]:
    """Same-paper keys -> id, from the file being replaced: ids stay stable across re-ingests."""
    if not output.is_file():
        return {}
    try:
        file = read_corpus_file(output)
    except PaperbotError:
        return {}  # a broken previous file: fresh ids
    return {key: p.paper.id for p in file.papers for key in same_paper_keys(p.paper)}


def read_sources(
    specs: Sequence[str],
    *,
    year: int | None = None,
    contact: str = "",
    base: Path | None = None,
    client: Callable[[], HttpClient] | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[SourceResult]:
    """Every source's records, in the order given; the first that fails raises, naming itself."""
    base = base or Path.cwd()

    def default_client() -> HttpClient:
        if not contact:
            raise SourceError(
                "online sources need a contact e-mail for their User-Agent: --contact, or lab.contact in the config"
            )
        return HttpClient(contact)

    return [read_source(spec, base, year, client or default_client, base_urls) for spec in specs]


def ingest(
    specs: Sequence[str],
    researcher: str,
    output: Path,
    *,
    overrides_path: Path | None = None,
    year: int | None = None,
    contact: str = "",
    base: Path | None = None,
    client: Callable[[], HttpClient] | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> IngestResult:
    """Read the sources, merge and render; nothing is written here (see `write_text`)."""
    base = base or Path.cwd()
    results = read_sources(specs, year=year, contact=contact, base=base, client=client, base_urls=base_urls)
    return build(results, specs, researcher, output, overrides_path=overrides_path, year=year, base=base)


def build(
    results: Sequence[SourceResult],
    specs: Sequence[str],
    researcher: str,
    output: Path,
    *,
    overrides_path: Path | None = None,
    year: int | None = None,
    base: Path | None = None,
    kept: Sequence[Paper] = (),
) -> IngestResult:
    """Merge what the sources gave and render the corpus file. `kept` are papers of the previous
    file that no source lists any more, written as they were (see bot/ingest/update.py)."""
    base = base or Path.cwd()
    overrides = read_overrides(base / overrides_path) if overrides_path else None
    if not researcher:
        researcher = next((r.figures.name for r in results if r.figures and r.figures.name), "")
    if not researcher:
        raise CorpusError("--researcher: whose papers are these? (none of the sources names the researcher)")
    merged = merge([rec for r in results for rec in r.records])
    papers = [m.paper for m in merged.papers]
    order = sorted(range(len(papers)), key=lambda i: papers[i].date, reverse=True)  # stable: ties keep source order
    papers = [papers[i] for i in order]
    notes_by_index = [merged.papers[i].note for i in order]
    previous = _previous_ids(output)
    old_ids = [next((previous[k] for k in same_paper_keys(p) if k in previous), None) for p in papers]
    ids = stable_ids([p.title for p in papers], old_ids)
    papers = [replace(p, id=pid) for p, pid in zip(papers, ids, strict=True)]
    notes = {p.id: n for p, n in zip(papers, notes_by_index, strict=True) if n}
    dropped, unused = list(merged.dropped), list[str]()
    if overrides is not None:
        papers, more, unused = apply(papers, overrides)
        dropped += more
    papers = sorted([*papers, *kept], key=lambda p: p.date, reverse=True)
    if not papers:
        raise CorpusError(f"no paper left to write (read {sum(len(r.records) for r in results)} records)")
    member = _member(researcher, results, overrides, year)
    names = (member.name, *member.aliases)
    not_theirs = [p.title for p in papers if not any(is_spelling_of(a, names) for a in p.authors)]
    warnings = [w for r in results for w in r.warnings] + merged.conflicts + [f"overrides: {u}" for u in unused]
    if merged.relative_links:
        warnings.append(f"{merged.relative_links} links are file names, not URLs (al-folio's pdf = {{paper.pdf}} "
                        "is a file on the homepage): left out; give full URLs in the overrides")  # fmt: skip
    if not_theirs:
        warnings.append(f"{len(not_theirs)} papers do not list {researcher} among their authors (kept; add the "
                        f"spelling they use to aliases: in the overrides): {'; '.join(not_theirs[:5])}")  # fmt: skip
    for doubt in member.doubtful_figures(len(papers)):
        warnings.append(f"{member.figures_source}: the figures do not add up ({doubt}): replies will show them "
                        "as reported by that source, not as fact")  # fmt: skip
    rel = _relative(output.parent.resolve(), base)
    sources = [s if ":" in s and s.split(":")[0] in ONLINE else rel(s) for s in specs]
    overrides_rel = rel(str(overrides_path)) if overrides_path else None
    built_from = {"researcher": researcher, "sources": sources, "overrides": overrides_rel}
    header = _header(sources, researcher, overrides_rel, year, output.name)
    text = render_corpus(member, papers, header, built_from, notes)
    reread = validate_corpus_data(safe_load(text), output.name)
    if tuple(replace(p, members=()) for p in reread.papers) != tuple(papers):
        raise RuntimeError(f"the corpus YAML for {output} does not read back as written")
    report = _report(results, len(papers), merged.without_abstract, dropped)
    counts = tuple((r.source, len(r.records)) for r in results)
    return IngestResult(text, tuple(papers), member, tuple(report), tuple(warnings), counts)


def _report(
    results: Sequence[SourceResult], kept: int, without_abstract: Sequence[str], dropped: Sequence[str]
) -> list[str]:
    """What ingest tells the admin: each source's yield, then what the merge made of it."""
    lines = []
    for r in results:
        line = f"{r.source}: {len(r.records)} records ({sum(bool(x.abstract) for x in r.records)} with an abstract)"
        if r.figures and _has_figures(r.figures):
            line += f"; figures: h-index {r.figures.h_index}, citations {r.figures.citations}"
        lines.append(line)
    records = sum(len(r.records) for r in results)
    lines.append(f"merged: {kept} papers from {records} records; {len(without_abstract)} without an abstract "
                 f"(found by title only); {len(dropped)} dropped")  # fmt: skip
    lines += [f"  no abstract: {t}" for t in without_abstract]
    lines += [f"  dropped: {d}" for d in dropped]
    return lines


def _relative(folder: Path, base: Path) -> Callable[[str], str]:
    """A source's path as seen from the output file's folder, where `update` will look for it."""

    def rel(spec: str) -> str:
        return os.path.relpath((base / spec).resolve(), folder)

    return rel


def _header(specs: Sequence[str], researcher: str, overrides: object, year: int | None, output: str) -> list[str]:
    """The comment above the file: what it is, and the command that rebuilds it, run from its folder."""
    command = ["python -m bot ingest", *(json.dumps(s) if " " in s else s for s in specs),
               "--researcher", json.dumps(researcher)]  # fmt: skip
    if overrides:
        command += ["--overrides", str(overrides)]
    if year:
        command += ["--year", str(year)]
    command += ["-o", output]
    prose = (
        "Generated by `python -m bot ingest`: do not edit by hand. Fix the sources or the overrides and "
        "run it again (or `python -m bot update`). Fields are described in docs/corpus.md; `sources:` says "
        "which source gave which field."
    )
    return [*textwrap.wrap(prose, 96), "Command, from this file's folder:", f"  {' '.join(command)}"]
