"""A corpus as the YAML file `ingest` writes: readable by people, read back exactly by the loader."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.core.models import Paper, Profile
from bot.errors import CorpusError
from bot.files import replacing


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


def _date(paper: Paper) -> object:
    """A full date as YAML's date, a month as "2023-06", a year as 2023."""
    if paper.date_precision == "year":
        return paper.date.year
    if paper.date_precision == "month":
        return paper.date_iso
    return paper.date


def paper_fields(paper: Paper) -> dict[str, object]:
    """The paper's keys in the order docs/corpus.md lists them; empty ones left out."""
    fields: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "date": _date(paper),
        "authors": list(paper.authors),
        "authors_truncated": paper.authors_truncated or None,
        "abstract": _Folded(paper.abstract) if paper.abstract else None,
        "venue": paper.venue,
        "doi": paper.doi,
        "arxiv": paper.arxiv,
        "url": paper.url,
        "pdf": paper.pdf,
        "code": paper.code,
        "category": paper.category or None,
        "organisation": paper.organisation or None,
        "kind": paper.kind,
        "sources": dict(paper.sources) or None,
        "missing_since": paper.missing_since,
    }
    return {k: v for k, v in fields.items() if v is not None}


def profile_fields(profile: Profile) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": profile.name,
        "aliases": list(profile.aliases) or None,
        "category": profile.category or None,
        "h_index": profile.h_index,
        "paper_count": profile.paper_count,
        "citations": profile.citations,
        "novelty": profile.novelty,
        "ai_score": profile.ai_score,
        "figures_source": profile.figures_source or None,
        "year": profile.year,
        "taken": profile.taken,
    }
    return {k: v for k, v in fields.items() if v is not None}


def render_corpus(
    profile: Profile,
    papers: Sequence[Paper],
    header: Sequence[str],
    built_from: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
) -> str:
    """The corpus file: a header comment, the profile, how it was built, then the papers as given.

    `notes` are a source's own words on where a paper's facts come from, written as a comment above it.
    """
    parts = ["".join(f"# {line}".rstrip() + "\n" for line in header), "\n"]
    parts.append(_dump({"profile": profile_fields(profile)}))
    parts.append(_dump({"built_from": dict(built_from)}))
    parts.append("\npapers:\n")
    for i, paper in enumerate(papers):
        if i:
            parts.append("\n")
        note = (notes or {}).get(paper.id)
        if note:
            parts.append(f"  # facts: {' '.join(note.split())}\n")
        parts.append(textwrap.indent(_dump([paper_fields(paper)]), "  "))
    return "".join(parts)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text all at once (a temporary file, then a rename): a failure leaves any previous file whole.

    A file written again keeps its permissions; a new one is readable by all (0o644)."""
    failure = "cannot write here"  # until the temporary file exists: the folder is the problem
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        with replacing(path, mode=mode) as (new,):
            failure = "cannot write"
            new.write_bytes(text.encode("utf-8"))
    except OSError as err:
        raise CorpusError(f"{path}: {failure}: {err.strerror}") from None
