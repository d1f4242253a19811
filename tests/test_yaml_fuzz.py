"""Any YAML an admin or an attacker can write (bombs, deep nesting, huge scalars, wrong types, noise)
gives a clean error, or loads, within 2 s of CPU and 200 MB, as config, glossary or corpus."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.glossary import load_glossary
from bot.errors import PaperbotError


def bomb(width: int, depth: int) -> str:
    lines = [f'l0: &l0 [{", ".join(["lol"] * width)}]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    return "\n".join(lines)


def nested(depth: int, flow: bool) -> str:
    if flow:
        return "a: " + "[" * depth + "]" * depth
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "x"


def huge_scalar(size: int, key: str) -> str:
    return f"{key}: " + "x" * size


def self_reference(kind: str) -> str:
    return {"list": "a: &a [*a]", "map": "a: &a {b: *a}"}[kind]


WRONG_TYPES = [
    "corpus: 3", "retrieval: yes", "papers: {}", "profile: []\npapers: [1, 2]", "groups: [[1, 2], 3]",
    "- - - -", "!!python/object:os.system ls", "? [a, b]\n: c", "a: !!binary AAAA", "2024-02-30: x",
    "retrieval:\n  weights: {title: .nan}", "papers:\n- {id: x, title: [], date: 1e9}", "\ufeff\x85",
]  # fmt: skip

documents = st.one_of(
    st.builds(bomb, st.integers(2, 12), st.integers(2, 12)),
    # Block nesting is indented, so the file grows with the square of the depth: 3,000 levels is 9 MB.
    st.builds(nested, st.integers(10, 50_000), st.just(True)),
    st.builds(nested, st.integers(10, 3_000), st.just(False)),
    st.builds(huge_scalar, st.integers(1_000, 3_000_000), st.sampled_from(["corpus", "groups", "papers", "x"])),
    st.builds(self_reference, st.sampled_from(["list", "map"])),
    st.sampled_from(WRONG_TYPES),
    st.text(max_size=400),
    st.lists(st.sampled_from(["&a", "*a", "[", "]", "{", "}", ":", "-", "\n", "  ", "x", "'", '"', "!!str", "?"]),
             max_size=200).map("".join),
)


def _as_config(path: Path) -> object:
    return load_settings(path, env={})


def _as_glossary(path: Path) -> object:
    return load_glossary(path)


def _as_corpus(path: Path) -> object:
    return load_corpus([path])


LOADERS: list[Callable[[Path], object]] = [_as_config, _as_glossary, _as_corpus]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents, loader=st.sampled_from(LOADERS))
def test_any_yaml_costs_a_clean_error_at_most(tmp_path: Path, text: str, loader: Callable[[Path], object]) -> None:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    tracemalloc.start()
    start = time.process_time()
    try:
        loader(path)
    except PaperbotError as err:
        lines = str(err).splitlines()
        assert lines and all(str(path) in line for line in lines), "every problem names the file"
        assert all(len(line) < 1000 for line in lines), "an error quotes at most a short piece of the file"
    finally:
        cpu = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert cpu < 2.0, f"{cpu:.1f} s of CPU"
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MB at peak"
