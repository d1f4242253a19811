"""`bench`: answer quality against baselines, latency, index build time and memory, as tables."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import load_settings


def register(sub: Any) -> None:
    p = sub.add_parser("bench", help="print benchmark figures (docs/benchmarks.md)", description=__doc__)
    p.add_argument("--synthetic", type=int, default=50_000, help="size of the synthetic corpus (0: skip)")
    p.add_argument("--rounds", type=int, default=20, help="times each question is timed")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.benchmark import run as bench  # imported here: it needs the dev extra (bm25s)

    bench(load_settings(args.config), synthetic=args.synthetic, rounds=args.rounds)
    return 0
