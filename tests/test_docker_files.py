"""The image a lab admin builds follows the rules: parsed with dockerfile-parse and PyYAML, not regexes."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parent.parent
SECRET_WORDS = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE", re.I)


def parse(text: str) -> list[dict[str, Any]]:
    """The instructions of a Dockerfile's text. (Given a path, or none, the parser would write to it.)"""
    structure: list[dict[str, Any]] = DockerfileParser(fileobj=io.BytesIO(text.encode())).structure
    return structure


def stages(text: str) -> list[list[dict[str, Any]]]:
    """The Dockerfile's instructions, split into build stages (ARGs before the first FROM go first)."""
    out: list[list[dict[str, Any]]] = [[]]
    for instruction in parse(text):
        if instruction["instruction"] == "FROM" and out[-1] and any(i["instruction"] == "FROM" for i in out[-1]):
            out.append([])
        out[-1].append(instruction)
    return out


def dockerfile_problems(text: str) -> list[str]:
    """Every rule of issue 4 the Dockerfile breaks."""
    problems = []
    structure = parse(text)
    head = [(i["instruction"], i["value"]) for i in structure[:2]]
    if head != [("ARG", "PYTHON_IMAGE=python:3.12-slim"), ("FROM", "${PYTHON_IMAGE}")]:
        problems.append(f"must start with ARG PYTHON_IMAGE=python:3.12-slim and FROM ${{PYTHON_IMAGE}}, got {head}")
    all_stages = stages(text)
    if len(all_stages) < 2:
        problems.append("must be multi-stage (a build stage and a runtime stage)")
    froms = [n for n, i in enumerate(structure) if i["instruction"] == "FROM"]
    for before, at in itertools.pairwise(froms):
        if "PYTHON_IMAGE" not in structure[at]["value"]:
            continue
        between = structure[before + 1 : at]
        if not any(i["instruction"] == "ARG" and i["value"].startswith("PYTHON_IMAGE") for i in between):
            problems.append("a later stage that uses PYTHON_IMAGE must repeat the ARG")
    final = all_stages[-1]
    users = [i["value"].strip() for i in final if i["instruction"] == "USER"]
    if not users or users[-1].split(":")[0] in ("", "root", "0"):
        problems.append(f"the final stage must run as a non-root USER, got {users}")
    if not any(i["instruction"] == "HEALTHCHECK" and "NONE" not in i["value"] for i in final):
        problems.append("the final stage needs a HEALTHCHECK")
    cmd = [i["value"] for i in final if i["instruction"] == "CMD"]
    if not cmd or re.sub(r"\s", "", cmd[-1]) != '["python","-m","bot","run"]':
        problems.append(f'CMD must be ["python", "-m", "bot", "run"], got {cmd}')
    for i in structure:
        secret = i["instruction"] in ("ENV", "ARG") and SECRET_WORDS.search(i["value"])
        if secret and not re.fullmatch(r"DISCORD_TOKEN_FILE=/run/secrets/\w+", i["value"].strip()):
            problems.append(f"no secrets in {i['instruction']}: {i['value']}")
    envs = " ".join(i["value"] for i in final if i["instruction"] == "ENV")
    if not re.search(r"\bPYTHONUNBUFFERED=1\b", envs):
        problems.append("the final stage must set PYTHONUNBUFFERED=1")
    runs = [n for n, i in enumerate(structure) if i["instruction"] == "RUN" and "pip install" in i["value"]]
    ours = re.compile(r"\b(bot|corpus|config)/")
    copies = [n for n, i in enumerate(structure) if i["instruction"] == "COPY" and ours.search(i["value"])]
    install = runs[0] if runs else None
    if install is None or any(n < install for n in copies):
        problems.append("dependencies must be installed before the code, corpus and config are copied")
    copies_lock = (i["instruction"] == "COPY" and "requirements/runtime.txt" in i["value"] for i in structure)
    lock = [n for n, copied in enumerate(copies_lock) if copied]
    if install is None or not lock or lock[0] > install or "--require-hashes" not in structure[install]["value"]:
        problems.append("dependencies must be installed from the lock requirements/runtime.txt with --require-hashes")
    final_runs = " ".join(i["value"] for i in final if i["instruction"] == "RUN")
    if re.search(r"\b(gcc|g\+\+|build-essential|pip install)\b", final_runs):
        problems.append("no compilers or installs in the runtime stage")
    if any(i["instruction"] == "COPY" and "tests" in i["value"] for i in final):
        problems.append("no tests in the final image")
    return problems


def _pattern(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regex: `**` spans directories, `*` and `?` stay in one segment."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] in "*?":
            out, i = out + ("[^/]*" if pattern[i] == "*" else "[^/]"), i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + "(?:/.*)?")  # a directory's pattern covers everything inside it


def ignored(patterns: list[str], path: str) -> bool:
    """Docker's .dockerignore rule: the last matching pattern wins, `!` re-includes."""
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        if _pattern(pattern.lstrip("!").strip("/")).fullmatch(path):
            result = not negate
    return result


def dockerignore_problems(text: str) -> list[str]:
    patterns = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    problems = [f"{p} must be left out of the build context" for p in (
        ".git/config", ".venv/bin/python", "tests/test_answers.py", "bot/__pycache__/app.cpython-311.pyc",
        ".mypy_cache/x", ".pytest_cache/v", ".env", "secrets/discord_token", "requirements/dev.txt",
    ) if not ignored(patterns, p)]  # fmt: skip
    problems += [f"{p} must be in the build context" for p in (
        "requirements/runtime.txt", "bot/app.py", "corpus/alexander-meulemans.yaml", "config/config.yaml",
    ) if ignored(patterns, p)]  # fmt: skip
    return problems


def compose_problems(text: str) -> list[str]:
    data = yaml.safe_load(text)
    service = next(iter(data["services"].values()))
    problems = []
    if service.get("restart") != "unless-stopped":
        problems.append("restart: unless-stopped")
    if "discord_token" not in (service.get("secrets") or []) or "discord_token" not in (data.get("secrets") or {}):
        problems.append("the token must come from the discord_token secret")
    env = service.get("environment") or {}
    if env.get("DISCORD_TOKEN_FILE") != "/run/secrets/discord_token":
        problems.append("DISCORD_TOKEN_FILE must point at /run/secrets/discord_token")
    for key, value in env.items():
        if SECRET_WORDS.search(key) and key != "DISCORD_TOKEN_FILE" and value and not str(value).startswith("${"):
            problems.append(f"no token literal in environment: {key}")
    options = (service.get("logging") or {}).get("options") or {}
    if not {"max-size", "max-file"} <= set(options):
        problems.append("logs must be rotated (max-size and max-file)")
    volumes = [str(v) for v in service.get("volumes") or []]
    if not any(v.split(":")[1:2] == ["/app/config"] and v.endswith(":ro") for v in volumes):
        problems.append("/app/config must be mounted read-only")
    named = data.get("volumes") or {}
    for target in ("/app/corpus", "/app/data"):
        # Refreshes rewrite the corpus and the bot remembers its announcements: named volumes keep both
        # across restarts and image upgrades (and Docker seeds a new one from the image's files).
        if not any(v.split(":")[1:2] == [target] and v.split(":")[0] in named for v in volumes):
            problems.append(f"{target} must be a named volume")
    return problems


def test_the_dockerfile_follows_every_rule() -> None:
    assert dockerfile_problems((ROOT / "Dockerfile").read_text(encoding="utf-8")) == []


def test_the_build_context_leaves_out_git_venv_tests_caches_and_secrets() -> None:
    assert dockerignore_problems((ROOT / ".dockerignore").read_text(encoding="utf-8")) == []


def test_compose_has_the_secret_mounts_restart_and_log_rotation() -> None:
    assert compose_problems((ROOT / "compose.yaml").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("USER 10001:10001", "USER root"), "non-root USER"),
        (lambda t: re.sub(r"HEALTHCHECK[^\n]*\\\n[^\n]*\n", "", t), "HEALTHCHECK"),
        (lambda t: t.replace("PYTHONUNBUFFERED=1", "PYTHONUNBUFFERED=0"), "PYTHONUNBUFFERED"),
        (lambda t: t + "\nENV DISCORD_TOKEN=abc\n", "no secrets"),
        (lambda t: t.replace("ARG PYTHON_IMAGE=python:3.12-slim\n", "", 1), "must start with"),
        (lambda t: t.replace('CMD ["python", "-m", "bot", "run"]', 'CMD ["python", "-m", "bot", "chat"]'), "CMD"),
        (lambda t: t.replace("--require-hashes ", ""), "with --require-hashes"),
        (lambda t: t.replace("COPY requirements/runtime.txt", "COPY pyproject.toml"), "with --require-hashes"),
    ],
)
def test_breaking_a_rule_is_caught(change: Any, problem: str) -> None:
    broken = change((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert any(problem in p for p in dockerfile_problems(broken))


def test_a_permissive_dockerignore_and_a_token_in_compose_are_caught() -> None:
    assert dockerignore_problems("# nothing\n")
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    leaky = yaml.safe_load(compose)
    next(iter(leaky["services"].values()))["environment"]["DISCORD_TOKEN"] = "MTA5.abc.def"
    assert any("no token literal" in p for p in compose_problems(yaml.safe_dump(leaky)))
