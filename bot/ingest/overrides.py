"""The lab's own corrections, applied last: other spellings of the researcher, papers to drop, fields to set.

    aliases: [J. Sacramento, Joao Sacramento]
    drop:
      - match: "2101.12509"            # a paper's id, DOI, arXiv id or exact title
        why: a workshop version of another paper
    papers:
      - match: "least-control-principle"
        venue: NeurIPS 2022
        code: https://github.com/seijin-kobayashi/least-control
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.core.models import Paper
from bot.core.schema import PAPER_FIELDS, FieldError, aliases_value, line_value
from bot.core.text import tokens
from bot.errors import CorpusError, quoted
from bot.yamlfile import read_yaml

# Fields an override may set; ids stay stable and sources are recorded, never set by hand.
SETTABLE = tuple(f for f in PAPER_FIELDS if f.name not in ("id", "sources"))


@dataclass(frozen=True)
class Overrides:
    source: str  # "overrides:FILE", recorded as the source of the fields it sets
    aliases: tuple[str, ...] = ()
    drop: tuple[tuple[str, str], ...] = ()  # (match, why)
    papers: tuple[tuple[str, dict[str, Any]], ...] = ()  # (match, checked fields)


def read_overrides(path: Path) -> Overrides:
    """Read and check an overrides file; errors name the file, the entry and the key."""
    data = read_yaml(path, "overrides: aliases, drop and papers", CorpusError, allow_empty=True) or {}
    if not isinstance(data, dict) or set(data) - {"aliases", "drop", "papers"}:
        raise CorpusError(f"{path}: expected a mapping with aliases, drop and papers (each optional)")
    try:
        aliases = aliases_value(data.get("aliases") or [])
    except FieldError as err:
        raise CorpusError(f"{path}: aliases: {err}") from None
    drops: list[tuple[str, str]] = []
    for i, item in enumerate(data.get("drop") or [], 1):
        if not isinstance(item, dict) or set(item) - {"match", "why"} or "match" not in item:
            raise CorpusError(f"{path}: drop {i}: expected a mapping with match (id, DOI, arXiv id or title) and why")
        drops.append((_match(path, f"drop {i}", item["match"]), str(item.get("why") or "dropped by the overrides")))
    papers: list[tuple[str, dict[str, Any]]] = []
    settable = {f.name: f for f in SETTABLE}
    for i, item in enumerate(data.get("papers") or [], 1):
        where = f"{path}: papers {i}"
        if not isinstance(item, dict) or "match" not in item:
            raise CorpusError(f"{where}: expected a mapping with match (id, DOI, arXiv id or title) and fields to set")
        fields: dict[str, Any] = {}
        for key, value in item.items():
            if key == "match":
                continue
            if key not in settable:
                raise CorpusError(f"{where}: unknown key {quoted(key)} (allowed: match, {', '.join(settable)})")
            try:
                fields[key] = settable[key].check(value)
            except FieldError as err:
                raise CorpusError(f"{where}: {key}: {err}") from None
        papers.append((_match(path, f"papers {i}", item["match"]), fields))
    return Overrides(f"overrides:{path.name}", aliases, tuple(drops), tuple(papers))


def _match(path: Path, where: str, value: object) -> str:
    try:
        return line_value(str(value) if isinstance(value, (int, float)) else value)
    except FieldError as err:
        raise CorpusError(f"{path}: {where}: match: {err}") from None


def matches(paper: Paper, key: str) -> bool:
    """Whether `key` names the paper: its id, DOI, arXiv id or title (case and punctuation aside)."""
    folded = key.strip().lower()
    return (
        folded in (paper.id, (paper.doi or "").lower(), paper.arxiv or "")
        or tokens(key) == tokens(paper.title)
    )


def apply(papers: list[Paper], overrides: Overrides) -> tuple[list[Paper], list[str], list[str]]:
    """The papers with the overrides applied; what was dropped (title: why), and what matched nothing."""
    unused: list[str] = []
    dropped: list[str] = []
    for key, why in overrides.drop:
        hit = [p for p in papers if matches(p, key)]
        if not hit:
            unused.append(f"drop {quoted(key)} matches no paper")
        dropped.extend(f"{p.title}: {why}" for p in hit)
        papers = [p for p in papers if p not in hit]
    out = []
    for paper in papers:
        for key, fields in overrides.papers:
            if matches(paper, key):
                values = dict(fields)
                if "date" in values:
                    values["date"], values["date_precision"] = values["date"]
                sources = dict(paper.sources) | {name: overrides.source for name in fields}
                paper = replace(paper, **values, sources=tuple(sources.items()))
        out.append(paper)
    for key, _ in overrides.papers:
        if not any(matches(p, key) for p in papers):
            unused.append(f"papers: {quoted(key)} matches no paper")
    return out, dropped, unused
