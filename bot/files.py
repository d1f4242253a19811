"""Reading files with limits (at most so many bytes, UTF-8 or a clear error naming the byte), hashing
them, and replacing them whole."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from bot.errors import PaperbotError

CONFIG_MAX_BYTES = 1 << 20  # config, glossary, overrides: 1 MiB is hundreds of times a real one
CORPUS_MAX_BYTES = 512 << 20  # a corpus or a source: 200,000 abstracts fit


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


def read_bytes(path: Path, expected: str, error: type[PaperbotError], max_bytes: int) -> bytes:
    """A file's bytes, at most `max_bytes` of them: a device or a runaway file is refused, not read."""
    try:
        with path.open("rb") as stream:
            raw = read_at_most(stream, max_bytes + 1)
    except FileNotFoundError:
        raise error(f"{path}: no such file (expected {expected})") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory (expected a file with {expected})") from None
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from None
    if len(raw) > max_bytes:
        raise error(f"{path}: larger than the {_size(max_bytes)} limit for this file (expected {expected})")
    return raw


def read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """Up to `limit` bytes, in pieces: `read(limit)` would reserve all of `limit` even for a small file."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := stream.read(min(1 << 20, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


_D = TypeVar("_D", bound=_Digest)


def hashed(path: Path, digest: _D) -> _D:
    """`digest` (a hashlib object) fed the bytes of the file at `path`, a megabyte at a time: a large
    file is never held whole. An unreadable file raises OSError."""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest


@contextmanager
def replacing(*paths: Path, prefix: str | None = None, mode: int | None = None) -> Iterator[list[Path]]:
    """Temporary files beside `paths`, one each, to write; when the block ends without an error, each
    replaces its path, in the order given. A reader sees a path's old file or its new one, never half
    of one; an error in the block touches no path. The temporary files never outlive the block.

    They are named `.<name>.<random>` unless `prefix` is given (a caller that sweeps up after a killed
    process finds its own by it). They are readable by their owner only (mkstemp's 0o600), so the
    replaced files are too, unless `mode` is given. An OSError of the file system is raised as it is.
    """
    temporary: list[Path] = []
    try:
        for path in paths:
            handle, name = tempfile.mkstemp(prefix=f".{path.name}." if prefix is None else prefix, dir=path.parent)
            os.close(handle)
            temporary.append(Path(name))
        yield temporary
        if mode is not None:
            for new in temporary:
                os.chmod(new, mode)
        for new, path in zip(temporary, paths, strict=True):
            os.replace(new, path)
    finally:
        for new in temporary:
            new.unlink(missing_ok=True)


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"
