"""`papers`: the list of papers, newest first, optionally filtered."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import load
from bot.render.text import render_list


def register(sub: Any) -> None:
    p = sub.add_parser("papers", help="list the papers, newest first", description=__doc__)
    p.add_argument("--year", type=int, help="only papers of this year")
    p.add_argument("--coauthor", help="only papers with this coauthor (part of the name is enough)")
    p.add_argument("--topic", help="only papers about this topic")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    papers = engine.list_papers(year=args.year, coauthor=args.coauthor, topic=args.topic)
    if not papers:
        print("No paper matches these filters.")
        return 1
    print(render_list(papers))
    return 0
