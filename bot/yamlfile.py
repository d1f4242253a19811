"""Reading YAML files (config, glossary, corpus, metadata) with errors that name file, line and byte."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import PaperbotError


class _Loader(yaml.SafeLoader):
    """`yaml.SafeLoader`, except that an impossible date (2024-02-30) stays a string.

    The stock loader raises a bare ValueError there, with no line; kept as text, the date reaches
    the validator, which names the paper and the field.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def safe_load(text: str) -> object:
    """`yaml.safe_load`, keeping impossible dates as text so that a validator can report them."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: plain data only


def decode_utf8(raw: bytes, source: str, error: type[PaperbotError]) -> str:
    """The text of a UTF-8 file (a leading byte-order mark is dropped); an error names the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise error(
            f"{source}: byte offset {err.start} (line {line}): byte 0x{raw[err.start]:02x} is not UTF-8 "
            "(expected a UTF-8 text file; re-save it as UTF-8)"
        ) from None


def read_yaml(path: Path, expected: str, error: type[PaperbotError], allow_empty: bool = False) -> object:
    """Parse a UTF-8 YAML file; `expected` says what it should hold, `error` is the error to raise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file (expected {expected})") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory (expected a YAML file with {expected})") from None
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from None
    text = decode_utf8(raw, str(path), error)
    try:
        data = safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = err.problem or err.context or "invalid YAML"
        raise error(f"{path}: {place}YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise error(
            f"{path}: line {line}: character {err.character!r} is not allowed in YAML (expected printable text)"
        ) from None
    except yaml.YAMLError as err:
        raise error(f"{path}: YAML error: {err}") from None
    if data is None and not allow_empty:
        raise error(f"{path}: the file is empty (expected {expected})")
    return data
