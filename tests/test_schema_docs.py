"""The corpus schema stated once (bot/core/schema.py) and its two copies kept in step: the JSON Schema
file editors use (docs/corpus.schema.json) and the field tables of docs/corpus.md."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.protocols import Validator

from bot.core.corpus import read_corpus_data
from bot.core.schema import PAPER_FIELDS, PROFILE_FIELDS, TOP_FIELDS, Field
from bot.errors import CorpusError

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "docs" / "corpus.schema.json"
DOCS = ROOT / "docs" / "corpus.md"
CORPORA = [ROOT / "corpus" / "alexander-meulemans.yaml", *sorted((ROOT / "tests" / "data" / "corpora").glob("*.yaml"))]


def schema_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "schema", *args], capture_output=True, text=True, cwd=ROOT, timeout=60,
        check=False,
    )  # fmt: skip


def as_editor_sees(data: object) -> Any:
    """Parsed YAML with dates as strings: a YAML 1.2 editor (yaml-language-server) has no date type."""
    if isinstance(data, dict):
        return {key: as_editor_sees(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_editor_sees(value) for value in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


# The schema says draft 2020-12; editors on the YAML language server implement draft 7. It uses only
# keywords both drafts share, so both must judge a file alike.
DRAFTS: list[type[Validator]] = [Draft202012Validator, Draft7Validator]


def validator(draft: type[Validator] = Draft202012Validator) -> Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    draft.check_schema(schema)
    return draft(schema)


def table_rows(heading: str) -> dict[str, list[str]]:
    """The rows of the first table under `heading` in docs/corpus.md: field name -> its other cells."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    rows: dict[str, list[str]] = {}
    for line in text[start:].splitlines()[1:]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if name := re.fullmatch(r"`(\w+)`", cells[0]):
                rows[name.group(1)] = cells[1:]
        elif rows:
            break
    return rows


# (a) The committed schema file is what the command prints today.


def test_the_schema_file_is_what_the_schema_command_prints() -> None:
    out = schema_command()
    assert out.returncode == 0, out.stderr
    assert SCHEMA_FILE.read_text(encoding="utf-8") == out.stdout, (
        "docs/corpus.schema.json is stale: run `python -m bot schema -o docs/corpus.schema.json`"
    )


def test_the_schema_command_writes_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "corpus.schema.json"
    out = schema_command("-o", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


# (b) The tables of docs/corpus.md are schema.py's tables.


@pytest.mark.parametrize(
    ("heading", "fields"),
    [("## Top-level keys", TOP_FIELDS), ("## Profile fields", PROFILE_FIELDS), ("## Paper fields", PAPER_FIELDS)],
)
def test_the_docs_tables_list_every_field_as_schema_py_states_it(heading: str, fields: tuple[Field, ...]) -> None:
    rows = table_rows(heading)
    assert list(rows) == [f.name for f in fields], f"{heading}: the table's fields differ from bot/core/schema.py"
    for field in fields:
        required, meaning = rows[field.name][:2]
        assert required == ("yes" if field.required else "no"), f"{field.name}: required"
        assert meaning == field.meaning, f"{field.name}: the meaning differs from bot/core/schema.py"


# (c) The shipped corpus files are valid under the schema, as an editor would check them.


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_the_shipped_corpus_files_validate_against_the_json_schema(path: Path, draft: type[Validator]) -> None:
    data = as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(draft).iter_errors(data)]
    assert errors == []


def test_the_corpora_tested_are_all_there() -> None:
    assert len(CORPORA) >= 4 and all(p.is_file() for p in CORPORA)


# (d) A broken file fails the schema where the loader fails it.


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
def test_an_unknown_key_in_a_paper_fails_both_the_schema_and_the_loader(draft: type[Validator]) -> None:
    good = yaml.safe_load(CORPORA[0].read_text(encoding="utf-8"))
    broken = copy.deepcopy(good)
    broken["papers"][2]["venu"] = "NeurIPS 2023"

    schema_errors = list(validator(draft).iter_errors(as_editor_sees(broken)))
    assert [list(e.absolute_path) for e in schema_errors] == [["papers", 2]]
    assert "'venu' was unexpected" in schema_errors[0].message

    read_corpus_data(good, "good.yaml")  # the unbroken copy loads
    with pytest.raises(CorpusError, match=r"broken\.yaml: paper 3 \(.*\): unknown key 'venu'"):
        read_corpus_data(broken, "broken.yaml")
