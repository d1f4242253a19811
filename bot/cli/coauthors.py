"""`coauthors`: the most frequent coauthors, or the papers shared with one of them."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import load
from bot.render.text import render_list


def register(sub: Any) -> None:
    p = sub.add_parser("coauthors", help="most frequent coauthors, or papers with one", description=__doc__)
    p.add_argument("name", nargs="*", help="a coauthor's name or part of it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    if not args.name:
        for name, count in engine.coauthor_counts():
            print(f"{count:3d}  {name}")
        return 0
    typed = " ".join(args.name)
    person = engine.match_coauthor(typed)
    if person is None:
        print(f"No coauthor matches {typed!r}.")
        return 1
    papers = engine.list_papers(coauthor=person)
    print(f"{len(papers)} paper{'s' * (len(papers) != 1)} with {person}:")
    print(render_list(papers))
    return 0
