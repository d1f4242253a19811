"""`bench`: answer quality against baselines, latency, index build time and memory, as tables."""

from __future__ import annotations

import argparse

from bot.cli.command import AddCommand
from bot.config import load_settings


def register(add: AddCommand) -> None:
    p = add("bench", "print benchmark figures (docs/benchmarks.md)", __doc__)
    p.add_argument("--synthetic", type=int, default=50_000, help="size of the synthetic corpus (0: skip)")
    p.add_argument("--rounds", type=int, default=20, help="times each question is timed")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.benchmark import run as bench  # imported here: it needs the dev extra (bm25s)

    bench(load_settings(args.config), synthetic=args.synthetic, rounds=args.rounds)
    return 0
