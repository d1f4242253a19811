"""Reading YAML files (config, glossary, corpus, metadata) with errors that name file, line and byte.

Every file is read with limits, because a hostile or broken file must cost an error, not the bot:
at most `max_bytes` bytes, aliases that expand to at most `MAX_ALIAS_NODES` more nodes than the
file holds (a 544-byte "billion laughs" file otherwise expands to gigabytes), and nesting no
deeper than Python's recursion allows.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import PaperbotError, quoted
from bot.files import CONFIG_MAX_BYTES, decode_utf8, read_bytes

MAX_ALIAS_NODES = 100_000  # nodes that aliases may add to a document beyond those written out

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


class _TooBig(Exception):
    """A document whose aliases expand past the limit, or refer to themselves."""


def _check_expansion(root: yaml.Node) -> None:
    """Count the nodes the document has once every alias is expanded; refuse past the limit."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise _TooBig("an alias refers to the node that contains it")
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        on_path.discard(key)
        sizes[key] = total
        if total > len(sizes) + MAX_ALIAS_NODES:
            raise _TooBig(f"aliases expand it past {MAX_ALIAS_NODES:,} extra nodes (an alias bomb?)")
        return total

    size(root)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader (plain data only) with two changes.

    Aliases are expanded only within `MAX_ALIAS_NODES`. An impossible date (2024-02-30) stays a
    string: the stock loader raises a bare ValueError there, with no line; kept as text, the date
    reaches the validator, which names the paper and the field.
    """

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def safe_load(text: str) -> object:
    """`yaml.safe_load` within the alias limit, keeping impossible dates as text for the validator."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: plain data only


def parse_yaml(text: str, source: str, error: type[PaperbotError]) -> object:
    """Parse YAML text; errors name the source, the line and column, and never echo more than a character."""
    try:
        return safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = err.problem or err.context or "invalid YAML"
        raise error(f"{source}: {place}YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise error(
            f"{source}: line {line}: character {quoted(err.character)} is not allowed in YAML (expected printable text)"
        ) from None
    except yaml.YAMLError as err:
        raise error(f"{source}: YAML error: {quoted(str(err))}") from None
    except _TooBig as err:
        raise error(f"{source}: refused: {err}") from None
    except RecursionError:
        raise error(f"{source}: refused: nested too deeply (lists or mappings inside each other)") from None


def read_yaml(
    path: Path,
    expected: str,
    error: type[PaperbotError],
    allow_empty: bool = False,
    max_bytes: int = CONFIG_MAX_BYTES,
) -> object:
    """Parse a UTF-8 YAML file; `expected` says what it should hold, `error` is the error to raise."""
    raw = read_bytes(path, expected, error, max_bytes)
    data = parse_yaml(decode_utf8(raw, str(path), error), str(path), error)
    if data is None and not allow_empty:
        raise error(f"{path}: the file is empty (expected {expected})")
    return data

