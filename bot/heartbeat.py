"""The heartbeat file: written by the bot while it is connected to Discord, read by `bot health`.

The file holds the time of the last beat. The bot writes it when the gateway connects and every
`INTERVAL` seconds while it stays connected, and removes it when the connection drops or the bot
stops. So a missing file means "not connected", and an old one means the bot is stuck (its event
loop no longer runs) or was killed: both are unhealthy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.files import replacing

INTERVAL = 30.0  # seconds between beats while connected
STALE_AFTER = 3 * INTERVAL  # older than this: unhealthy (two beats missed, and then some)


def beat(path: Path, now: float | None = None) -> None:
    """Record a beat now; written whole (temporary file, then rename), so a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by all (what a plain write gave it): the health check may run as another user.
    with replacing(path, mode=0o644) as (new,):
        new.write_text(f"{time.time() if now is None else now:.0f}\n", encoding="ascii")


def stop(path: Path) -> None:
    """Remove the heartbeat: the bot is not connected."""
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Health:
    healthy: bool
    message: str


def health(path: Path, now: float | None = None) -> Health:
    """Whether the heartbeat at `path` says the bot is connected, and a one-line reason."""
    now = time.time() if now is None else now
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return Health(False, f"unhealthy: no heartbeat at {path}: the bot is not connected to Discord")
    except (OSError, UnicodeDecodeError) as err:
        return Health(False, f"unhealthy: cannot read the heartbeat at {path}: {err}")
    try:
        age = now - float(text)
    except ValueError:
        return Health(False, f"unhealthy: the heartbeat at {path} holds no time")
    if age > STALE_AFTER:
        return Health(False, f"unhealthy: the last heartbeat is {age:.0f} s old: the bot is stuck or stopped")
    return Health(True, f"healthy: connected to Discord, last heartbeat {max(age, 0):.0f} s ago")
