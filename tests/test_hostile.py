"""A hostile member or a careless admin: bombs, leaked tokens, runaway files and escape codes cost an error line.

Each test here failed before the hardening it names (issue 8).
"""

from __future__ import annotations

import random
import shutil
import statistics
import string
import tracemalloc
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.search import MAX_VARIANT_LOOKUPS
from bot.errors import ConfigError, CorpusError
from bot.live import LiveEngine
from bot.secrets import read_token

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"

# 544 bytes that a YAML loader expands to 9**9 (387 million) strings: "billion laughs".
ALIAS_BOMB = "\n".join(
    [f'a: &a [{", ".join(["lol"] * 9)}]']
    + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
)


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A copy of the project's config and corpus that the test may break."""
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path


def test_an_alias_bomb_in_the_config_glossary_or_corpus_is_refused_at_once(site: Path) -> None:
    (site / "config" / "config.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.yaml: refused: aliases expand it past 100,000 extra nodes"):
        load_settings(site / "config" / "config.yaml", env={})
    (site / "config" / "glossary.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"glossary\.yaml: refused: aliases expand"):
        load_glossary(site / "config" / "glossary.yaml")
    corpus = site / "corpus" / "bomb.yaml"
    corpus.write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bomb\.yaml: refused: aliases expand"):
        load_corpus([corpus])


def test_an_alias_bomb_inside_one_paper_of_a_corpus_is_refused(site: Path) -> None:
    # The papers are read one by one as a stream: a bomb within one paper is counted as well.
    inner = "\n".join("    " + line for line in ALIAS_BOMB.splitlines())
    corpus = site / "corpus" / "bomb.yaml"
    paper = f"  - id: a\n    title: A\n    notes:\n{inner}\n"
    corpus.write_text(f"profile: {{name: Ada}}\npapers:\n{paper}", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bomb\.yaml: refused: aliases expand"):
        load_corpus([corpus])


def test_a_bomb_arriving_by_reload_changes_nothing_and_is_reported_in_one_short_line(site: Path) -> None:
    path = site / "config" / "config.yaml"
    live = LiveEngine(load_settings(path, env={}), Engine.from_settings(load_settings(path, env={})), path)
    before = live.current
    (site / "config" / "glossary.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    result = live.reload()
    assert not result.ok and live.current is before
    assert "glossary.yaml: refused: aliases expand" in result.message and len(result.message) < 300


def test_a_file_too_large_for_its_kind_is_refused_before_it_is_read(site: Path) -> None:
    (site / "config" / "config.yaml").write_text("# padding\n" * 120_000, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.yaml: larger than the 1 MiB limit for this file"):
        load_settings(site / "config" / "config.yaml", env={})


def test_a_reload_error_names_the_file_and_field_but_never_quotes_the_file(site: Path) -> None:
    # An admin points the corpus at the wrong file; a Manage Server member runs /reload.
    secret = site / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin\n", encoding="utf-8")
    path = site / "config" / "config.yaml"
    settings = load_settings(path, env={})
    live = LiveEngine(settings, Engine.from_settings(settings), path)
    (site / "config" / "local.yaml").write_text(f"corpus: [{secret}]\n", encoding="utf-8")
    result = live.reload()
    assert not result.ok
    assert str(secret) in result.message
    assert "root" not in result.message.replace(str(site), "") and "/bin/bash" not in result.message
    (site / "config" / "local.yaml").write_text("retrieval:\n  max_results: '/root:/bin/bash'\n", encoding="utf-8")
    result = live.reload()
    assert "local.yaml: retrieval.max_results: expected a whole number, got …" in result.message
    assert "/bin/bash" not in result.message


def test_a_token_put_in_the_token_file_variable_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError) as err:
        read_token({"DISCORD_TOKEN_FILE": TOKEN})
    assert TOKEN not in str(err.value) and "DISCORD_TOKEN_FILE names a file that does not exist" in str(err.value)


def test_cli_error_lines_are_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    assert main(["--config", str(tmp_path / TOKEN / "config.yaml"), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert TOKEN not in err and "[redacted]" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "DISCORD_TOKEN_FILE: the file is larger than 4 KB; it must hold only the token"),
        (f"{TOKEN}\nsecond line\n", "DISCORD_TOKEN_FILE: holds 2 lines; it must hold only the token, on one line"),
        (f"{TOKEN} extra\n", "DISCORD_TOKEN_FILE: the token contains spaces; it must hold only the token"),
    ],
)
def test_a_runaway_or_two_line_token_file_is_refused_in_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    if content is None:
        path = Path("/dev/zero")  # reads forever unless capped
    else:
        path = tmp_path / "token"
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_token({"DISCORD_TOKEN_FILE": str(path)})
    assert str(err.value) == message
    assert TOKEN not in str(err.value) and "second line" not in str(err.value)


def _long_question(rng: random.Random) -> str:
    words = ["équilibre", "crédit", "contrôle", "réseau", "mémoire", "apprentissage", "récompense", "agent"]
    return " ".join(rng.choice(words) for _ in range(220))[:2000] + f" {rng.random()}"


def test_distinct_long_questions_do_not_grow_memory(engine: Engine) -> None:
    rng = random.Random(8)
    for _ in range(20):  # warm up: the caches of short words fill once
        engine.ask(_long_question(rng))
    kept: list[int] = []
    tracemalloc.start()
    for _ in range(40):
        question = _long_question(rng)
        before = tracemalloc.get_traced_memory()[0]
        engine.ask(question)
        kept.append(tracemalloc.get_traced_memory()[0] - before)
    tracemalloc.stop()
    # Keyed by whole questions, the caches kept every one: 39 KB each here (16 KB when measured over
    # thousands). Bounded by size, a question keeps under 1 KB: its one new word in the word caches.
    # The median, not the sum: in the whole suite, one question's window now and then holds a step
    # of hundreds of KB that is not the question's to keep (a filled cache's table doubling while
    # the old one, allocated before tracing began, is freed unseen; or what an earlier test left
    # running). The sum read 318 KB in one CI run and 27 KB in the next local run; the median of a
    # cache keyed by whole questions is 39 KB.
    assert statistics.median(kept) < 5_000, f"40 distinct questions kept {sorted(kept)} bytes each"


def test_a_paste_of_made_up_words_is_spell_checked_for_at_most_twenty_words(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20)
    gibberish = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11))) for _ in range(300)
    )[:2000]
    looked_up: list[str] = []
    find = engine.index._variants

    def counting(word: str) -> tuple[str, ...]:
        looked_up.append(word)
        return find(word)

    monkeypatch.setattr(engine.index, "_variants", counting)
    answer = engine.ask(gibberish)
    assert len(looked_up) == MAX_VARIANT_LOOKUPS == 20
    assert not answer.hits


def test_a_title_with_an_escape_sequence_fails_check_and_never_reaches_the_terminal(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = site / "corpus" / "alexander-meulemans.yaml"
    text = corpus.read_text(encoding="utf-8")
    text = text.replace("title: Neural networks", 'title: "\\e]0;pwned\\a\\e[2JNeural networks', 1)
    corpus.write_text(text.replace("with late-phase weights\n", 'with late-phase weights"\n', 1), encoding="utf-8")
    assert main(["check", "--config", str(site / "config" / "config.yaml")]) == 2
    err = capsys.readouterr().err
    assert "title: expected printable text, got the control character U+001B" in err
    assert "\x1b" not in err and "\x07" not in err
