"""`bench`: answer quality against baselines, latency, index build time and memory, as tables.

Quality is measured on the tuned set (tests/data/questions.yaml), the dev set (tests/data/dev) and the
held-out set (tests/data/heldout), each corpus with its own engine and baselines.
"""

from __future__ import annotations

import argparse

from bot.cli.command import AddCommand
from bot.config import load_settings


def register(add: AddCommand) -> None:
    p = add("bench", "print benchmark figures (docs/benchmarks.md)", __doc__)
    p.add_argument("--synthetic", type=int, default=50_000, help="size of the synthetic corpus (0: skip)")
    p.add_argument("--rounds", type=int, default=20, help="times each question is timed")
    p.add_argument(
        "--quality", action="store_true", help="only answer quality: tuned, dev and held-out sets, every corpus"
    )
    p.add_argument("--quick", action="store_true", help="skip latency, build time and the synthetic corpus")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.benchmark import run as bench  # imported here: it needs the dev extra (bm25s)

    bench(
        load_settings(args.config),
        synthetic=args.synthetic,
        rounds=args.rounds,
        quick=args.quick,
        quality_only=args.quality,
    )
    return 0
