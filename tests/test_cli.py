"""The terminal front end, run as a user runs it: `python -m bot ...` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DISCORD_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=full_env,
        timeout=60, check=False,
    )  # fmt: skip


def test_ask_json_prints_one_object_with_the_papers_best_first() -> None:
    out = bot("ask", "--json", "What is COCOA?")
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert set(reply) >= {"question", "intent", "text", "papers", "took_ms"}
    top = reply["papers"][0]
    assert set(top) >= {"id", "title", "url", "date", "authors", "score", "summary"}
    assert top["url"] == "https://arxiv.org/abs/2306.16803"
    assert "Counterfactual Contribution Analysis" in top["summary"]
    assert top["title"] in reply["text"]


def test_ask_json_from_stdin_answers_each_line_in_order() -> None:
    out = bot("ask", "--json", "-", stdin="What is COCOA?\nweather in Paris\nanything from 2021?\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["question"] for r in lines] == ["What is COCOA?", "weather in Paris", "anything from 2021?"]
    assert lines[1]["papers"] == [] and "about that" in lines[1]["text"]
    assert len(lines[2]["papers"]) == 2


def test_ask_prints_a_readable_answer() -> None:
    out = bot("ask", "what did he write with Nicolas Zucchet?")
    assert "2 papers with Nicolas Zucchet" in out.stdout
    assert "https://arxiv.org/abs/2207.01332" in out.stdout


def test_ask_reads_a_question_as_a_first_question_on_discord_is() -> None:
    # "cite X" and "does X have code?" are answered about X, as /ask answers them.
    out = bot("ask", "give me the bibtex for COCOA")
    assert "@inproceedings{meulemans2023would," in out.stdout and "eprint        = {2306.16803}" in out.stdout


def test_a_chat_session_answers_until_quit() -> None:
    out = bot("chat", stdin="help\nWhat is his h-index?\n\nquit\nnever asked\n")
    assert out.returncode == 0
    assert "for example" in out.stdout
    assert "h-index: 75" in out.stdout
    assert "never asked" not in out.stdout


def test_paper_papers_and_coauthors_commands() -> None:
    card = bot("paper", "COCOA").stdout
    assert "Related papers:" in card and "PDF: https://arxiv.org/pdf/2306.16803" in card
    listing = bot("papers", "--year", "2020").stdout.splitlines()
    # One paper a line, a long one wrapped under its title.
    assert [line[:4] for line in listing if not line.startswith(" ")] == ["2020"] * 3
    assert bot("coauthors").stdout.splitlines()[0].split() == ["11", "João", "Sacramento"]
    assert "3 papers with Maciej Wołczyk" in bot("coauthors", "wolczyk").stdout
    missing = bot("paper", "no such paper about pizza")
    assert missing.returncode == 1 and "No paper matches" in missing.stdout


def test_check_passes_on_the_shipped_files_and_flags_figures_that_cannot_be_true() -> None:
    out = bot("check")
    assert out.returncode == 0 and out.stdout.startswith("ok:")
    # The profile page says h-index 75 for 15 papers and 436 citations.
    assert out.stderr.splitlines() == [
        "warning: Alexander Meulemans: figures from profile page do not add up (an h-index of 75 needs at least "
        "5,625 citations, not 436)",
        "warning: Alexander Meulemans: figures from profile page do not add up (an h-index of 75 needs at least "
        "75 papers, not 15)",
    ]


def test_check_names_the_broken_file_and_field_in_one_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    corpus = tmp_path / "corpus" / "alexander-meulemans.yaml"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace("date: 2020-06-22", "date: 22/06/2020"), "utf-8")
    out = bot("check", env={"BOT_CONFIG": str(tmp_path / "config" / "config.yaml")})
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "alexander-meulemans.yaml" in lines[0] and "date" in lines[0]
