"""`chat`: an interactive session in the terminal, answering as the Discord bot does.

The session is one conversation: a follow-up ("which of those are from 2023?", "does it have
code?") is read against the answers before it. With `--json`, one question per line of standard
input and one `ask --json` object per line of output, the conversation kept across lines.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import sys
from pathlib import Path

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.core.conversation import Conversations
from bot.core.engine import Engine
from bot.core.followups import ask_in
from bot.render.json import answer_to_dict
from bot.render.text import render_answer
from bot.settings import Settings

HISTORY = Path.home() / ".paperbot_history"
COMMANDS = "Commands: help, papers, new (a new conversation), quit (or Ctrl-D)."
FOLLOW_UPS = 'Then follow up: "which of those are from 2023?", "does it have code?", "cite the second one".\n'
SESSION = "terminal"  # the one conversation a terminal session holds


def help_text(examples: tuple[str, ...]) -> str:
    """What to ask, with examples drawn from the corpus being served."""
    return "Ask anything about the papers, in plain words, for example:\n" + "".join(
        f"  {e}\n" for e in examples
    ) + FOLLOW_UPS + COMMANDS


def register(add: AddCommand) -> None:
    p = add("chat", "interactive session in the terminal", __doc__)
    p.add_argument("--json", action="store_true",
                   help="read one question per line from stdin, print one JSON object per answer")  # fmt: skip
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


def conversations(settings: Settings) -> Conversations:
    """The store holding the session's conversation, forgotten when idle as on Discord."""
    return Conversations(settings.conversation.idle_minutes, settings.conversation.max_active)


def run(args: argparse.Namespace) -> int:
    settings, engine = load(args.config)
    if args.json:
        return _run_json(settings, engine)
    reply = settings.reply
    store = conversations(settings)
    interactive = sys.stdin.isatty()
    if interactive:
        _enable_history()
    name = engine.corpus.name
    say(f"paperbot: {len(engine.corpus.papers)} papers of {name}. Type help for examples, quit to leave.")
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
            say(help_text(engine.suggestions))
            continue
        if question.lower() == "new":
            store.forget(SESSION)
            say("A new conversation: ask anything.", end="\n\n")
            continue
        if question.lower() == "papers":
            question = "list all papers"
        say(render_answer(ask_in(store, SESSION, engine, question), reply), end="\n\n")


def _run_json(settings: Settings, engine: Engine) -> int:
    """One JSON object per non-empty line of standard input, as `ask --json` prints it."""
    store = conversations(settings)
    for line in sys.stdin:
        question = line.strip()
        if question:
            answer = ask_in(store, SESSION, engine, question)
            say(json.dumps(answer_to_dict(answer, settings.reply), ensure_ascii=False))
    return 0
