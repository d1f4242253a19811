"""The terminal, as a person reads it: bold rather than `**`, lines that fit 80 columns, links where the
terminal has them, plain text in a pipe or with NO_COLOR, and the stats picture from the command line."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.engine import Engine
from bot.render.terminal import Terminal
from bot.settings import ReplySettings
from tests.test_cli import bot

ESCAPE = re.compile(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m")  # OSC 8 links and SGR styles
MARKDOWN = ("**", "__", "](", "`")


class TTY(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def assert_reads_plainly(text: str, width: int = 80) -> None:
    for mark in MARKDOWN:
        assert mark not in text, f"a Markdown mark {mark!r} in the terminal"
    too_wide = [line for line in text.splitlines() if len(line) > width]
    assert too_wide == [], f"lines wider than {width} columns"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("ask", "what did he write with Razvan Pascanu?"), "Uncovering mesa-optimization algorithms in Transformers"),
        (("ask", "What is the least-control principle about?"), "https://arxiv.org/abs/2207.01332"),
        (("paper", "COCOA"), "PDF: https://arxiv.org/pdf/2306.16803"),
        (("papers",), "[theoretical-framework-target]"),
        (("coauthors", "zucchet"), "2 papers with Nicolas Zucchet"),
        (("stats",), "Bar charts of the 15 papers of Alexander Meulemans."),
    ],
)
def test_commands_print_no_markdown_and_fit_80_columns_in_a_pipe(
    args: tuple[str, ...], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(list(args)) == 0
    out = capsys.readouterr().out
    assert expected in out
    assert "\x1b" not in out, "plain text when the output is not a terminal"
    assert_reads_plainly(out)


def test_a_chat_session_prints_no_markdown_either() -> None:
    out = bot("chat", stdin="papers with Pascanu\nWhat is COCOA?\nquit\n")
    assert "2 papers with Razvan Pascanu" in out.stdout and "Alexander Meulemans" in out.stdout
    assert_reads_plainly(out.stdout)


def test_on_a_terminal_members_are_bold_the_asked_coauthor_underlined_and_titles_are_links(engine: Engine) -> None:
    out = TTY()
    Terminal(out, environ={}, width=80).answer(engine.ask("papers with Razvan Pascanu"), ReplySettings())
    text = out.getvalue()
    assert "\x1b[1mAlexander Meulemans\x1b[0m" in text, "a member in bold"
    assert "\x1b[4mRazvan Pascanu\x1b[0m" in text, "the coauthor asked about, underlined"
    assert "\x1b]8;id=" in text and ";https://arxiv.org/abs/2309.05858\x1b\\" in text, "the title links to the paper"
    assert_reads_plainly(ESCAPE.sub("", text))


def test_no_color_gives_plain_text_even_on_a_terminal(engine: Engine) -> None:
    out = TTY()
    Terminal(out, environ={"NO_COLOR": "1"}).answer(engine.ask("What is COCOA?"), ReplySettings())
    assert "\x1b" not in out.getvalue() and "Analysis (COCOA)" in out.getvalue()
    assert_reads_plainly(out.getvalue())


def test_text_wraps_to_a_narrow_window(engine: Engine) -> None:
    out = TTY()
    Terminal(out, environ={}, width=40).paper(engine.find_paper("COCOA"))  # type: ignore[arg-type]
    assert_reads_plainly(ESCAPE.sub("", out.getvalue()), width=40)


def test_stats_draws_the_picture_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    picture = tmp_path / "stats.png"
    assert main(["stats", "--png", str(picture)]) == 0
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1000, 450)
    said = capsys.readouterr()
    assert said.out.startswith("Bar charts of the 15 papers of Alexander Meulemans. Papers per year: 2020: 3,")
    assert said.err.startswith(f"wrote {picture} (")
    assert main(["stats", "Nobody Known"]) == 1
    assert "No lab member matches 'Nobody Known'" in capsys.readouterr().out
