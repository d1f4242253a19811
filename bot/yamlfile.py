"""Reading YAML files (config, glossary, corpus, metadata) with errors that name file, line and byte.

Every file is read with limits, because a hostile or broken file must cost an error, not the bot:
at most `max_bytes` bytes, aliases that expand to at most `MAX_ALIAS_NODES` more nodes than the
file holds (a 544-byte "billion laughs" file otherwise expands to gigabytes), and nesting no
deeper than Python's recursion allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent

from bot.errors import PaperbotError, quoted
from bot.files import CONFIG_MAX_BYTES, decode_utf8, read_bytes

MAX_ALIAS_NODES = 100_000  # nodes that aliases may add to a document beyond those written out

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


class _TooBig(Exception):
    """A document whose aliases expand past the limit, or refer to themselves."""


def _check_expansion(root: yaml.Node) -> tuple[int, int]:
    """Count the nodes the document has once every alias is expanded; refuse past the limit.

    The count of nodes once expanded, and of distinct nodes.
    """
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

    return size(root), len(sizes)


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


class _Streamed(_Loader):
    """A loader that composes one node at a time, with Python's composer over libyaml's events.

    libyaml's own composer builds the whole document's nodes first: 650 MB for a 110 MB corpus,
    before a single paper is read. Aliases are counted across the whole document, not per node.
    """

    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, stream: object) -> None:
        super().__init__(stream)
        self.anchors: dict[str, yaml.Node] = {}
        self.added = 0  # nodes that aliases added so far
        self.aliased = False  # whether the value being composed uses an alias

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(AliasEvent):
            self.aliased = True
            if (node := self.anchors.get(self.peek_event().anchor)) is not None:
                # An alias to a node of an earlier value: built again in full for this one.
                self.added += _check_expansion(node)[0]
        return cast(yaml.Node, Composer.compose_node(self, parent, index))  # type: ignore[arg-type]

    def value(self) -> object:
        """The next node, built into plain data."""
        self.aliased = False
        node = self.compose_node(None, None)
        if self.aliased:  # without an alias every node is built once: nothing to count (3.5 s at 50,000 papers)
            total, distinct = _check_expansion(node)
            self.added += total - distinct
        if self.added > MAX_ALIAS_NODES:
            raise _TooBig(f"aliases expand it past {MAX_ALIAS_NODES:,} extra nodes (an alias bomb?)")
        return self.construct_document(node)


class Whole(Exception):  # not an error: the document, read whole
    """The document, read whole: it is not a mapping, or has something the stream does not handle."""

    def __init__(self, data: object) -> None:
        super().__init__("read whole")
        self.data = data


_PROBLEMS = (yaml.YAMLError, _TooBig, RecursionError, ValueError)


def stream_mapping(
    path: Path, expected: str, error: type[PaperbotError], streamed: str, max_bytes: int
) -> Iterator[tuple[object, object]]:
    """The top-level mapping of a YAML file, key by key, reading the file as it goes.

    The value of the key `streamed`, when it is a list, comes as an iterator of its items, each
    built only when reached: iterate it before asking for the next key. When the document is not a
    mapping, or holds what the stream does not handle, `Whole` is raised with all of it. Errors
    are those of `read_yaml`: on any problem the file is read again whole, and `read_yaml` says
    what is wrong and where.
    """
    size = _size_of(path, expected, error, max_bytes)
    try:
        with path.open("rb") as stream:
            loader = _Streamed(stream)
            try:
                loader.get_event()  # stream start
                if size == 0 or not loader.check_event(yaml.DocumentStartEvent):
                    raise _Fallback  # an empty file: read_yaml says so
                loader.get_event()
                if not loader.check_event(MappingStartEvent) or loader.peek_event().anchor is not None:
                    raise _Fallback
                loader.get_event()
                keys: set[object] = set()
                while not loader.check_event(MappingEndEvent):
                    key = loader.value()
                    if not isinstance(key, str) or key in keys:
                        raise _Fallback  # a key twice: the last one counts, as when read whole
                    keys.add(key)
                    if key == streamed and loader.check_event(SequenceStartEvent):
                        if loader.peek_event().anchor is not None:
                            raise _Fallback  # an anchored list: rare enough to read whole
                        loader.get_event()
                        yield key, _items(loader, lambda: _whole(path, expected, error, max_bytes))
                    else:
                        yield key, loader.value()
                loader.get_event()
                loader.get_event()  # document end
                if not loader.check_event(yaml.StreamEndEvent):
                    raise _Fallback  # a second document: read_yaml says so
            finally:
                loader.dispose()
    except (*_PROBLEMS, _Fallback):
        raise Whole(_whole(path, expected, error, max_bytes)) from None
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from None


def _whole(path: Path, expected: str, error: type[PaperbotError], max_bytes: int) -> object:
    return read_yaml(path, expected, error, max_bytes=max_bytes)


class _Fallback(Exception):
    """Read the file whole instead: something the stream does not handle, or an error to describe."""


def _items(loader: _Streamed, whole: Callable[[], object]) -> Iterator[object]:
    try:
        while not loader.check_event(SequenceEndEvent):
            if loader.check_event(AliasEvent):
                raise _Fallback  # the whole list is an alias's: rare enough to read whole
            yield loader.value()
        loader.get_event()
    except (*_PROBLEMS, _Fallback):
        raise Whole(whole()) from None


def _size_of(path: Path, expected: str, error: type[PaperbotError], max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise error(f"{path}: no such file (expected {expected})") from None
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from None
    if path.is_dir():
        raise error(f"{path}: is a directory (expected a file with {expected})")
    if size > max_bytes or not path.is_file():
        read_bytes(path, expected, error, max_bytes)  # says what is wrong, as for every other file
    return size
