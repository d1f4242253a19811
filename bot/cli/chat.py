"""`chat`: an interactive session in the terminal, answering as the Discord bot does."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import sys
from pathlib import Path

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.render.terminal import Terminal

HISTORY = Path.home() / ".paperbot_history"
COMMANDS = "Commands: help, papers, quit (or Ctrl-D)."


def help_text(examples: tuple[str, ...]) -> str:
    """What to ask, with examples drawn from the corpus being served."""
    return "Ask anything about the papers, in plain words, for example:\n" + "".join(
        f"  {e}\n" for e in examples
    ) + COMMANDS


def register(add: AddCommand) -> None:
    p = add("chat", "interactive session in the terminal", __doc__)
    p.set_defaults(handler=run)


def _enable_history() -> None:
    """Arrow-key editing and a history kept between sessions, where readline exists."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)

    def save() -> None:
        # A read-only home (a container) must not break the session.
        with contextlib.suppress(OSError):
            readline.write_history_file(HISTORY)

    atexit.register(save)


def run(args: argparse.Namespace) -> int:
    settings, engine = load(args.config)
    reply = settings.reply
    terminal = Terminal()
    interactive = sys.stdin.isatty()
    if interactive:
        _enable_history()
    name = engine.corpus.name
    terminal.block(f"paperbot: {len(engine.corpus.papers)} papers of {name}. Type help for examples, quit to leave.")
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            say()
            return 0
        except KeyboardInterrupt:
            say()
            continue
        question = line.strip()
        if not question:
            continue
        if question.lower() in ("quit", "exit", "q", ":q"):
            return 0
        if question.lower() in ("help", "?"):
            terminal.block(help_text(engine.suggestions))
            continue
        if question.lower() == "papers":
            question = "list all papers"
        terminal.answer(engine.ask(question), reply)
