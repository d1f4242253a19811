"""Reading files with limits: at most so many bytes, UTF-8 or a clear error naming the byte."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

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


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"


