"""`update`: re-read each corpus file's sources; rewrite it when something changed (a failed source changes nothing)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.config import load_settings


def register(add: AddCommand) -> None:
    p = add("update", "refresh corpus files from the sources they record", __doc__)
    p.add_argument("corpus", nargs="*", type=Path, metavar="CORPUS.yaml", help="default: every corpus in the config")
    p.add_argument("--prune", action="store_true", help="drop papers no source lists any more (default: keep, marked)")
    p.add_argument("--force", action="store_true", help="accept a source that gives under half of its papers")
    p.add_argument("--contact", default="", help="an e-mail for online sources' User-Agent (default: lab.contact)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.ingest.update import update_corpus  # imported here: it brings every source and their HTTP client

    settings = load_settings(args.config)
    paths = args.corpus or list(settings.corpus)
    failed = 0
    for path in paths:
        result = update_corpus(path, prune=args.prune, force=args.force, contact=args.contact or settings.lab.contact)
        for line in result.lines(pruned=args.prune):
            say(line, file=sys.stdout if result.ok else sys.stderr)
        failed += not result.ok
    return 1 if failed else 0
