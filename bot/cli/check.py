"""`check`: validate the config and every corpus file, build the index and answer a question."""

from __future__ import annotations

import argparse
import sys

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say


def register(add: AddCommand) -> None:
    p = add("check", "validate config and corpus (exit 2 on errors)", __doc__)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings, engine = load(args.config)
    corpus = engine.corpus
    # A question about the first paper's title must find that paper: proves the index answers.
    probe = corpus.papers[0] if corpus.papers else None
    if probe is not None:
        answer = engine.ask(probe.title)
        if not answer.hits or answer.hits[0].paper.id != probe.id:
            say(f"error: the index did not find {probe.id!r} by its own title", file=sys.stderr)
            return 1
    for member in corpus.members:
        own = len(corpus.of_member(member.name).papers)
        for doubt in member.doubtful_figures(own):
            # Not an error: replies show such figures as "reported by", and the corpus still answers.
            say(f"warning: {member.name}: figures from {member.figures_source or 'the source'} do not add up "
                f"({doubt})", file=sys.stderr)  # fmt: skip
    say(
        f"ok: {settings.source}: {len(corpus.papers)} papers of {corpus.name} "
        f"from {len(corpus.sources)} corpus file(s); index answers"
    )
    return 0
