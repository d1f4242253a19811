"""Gateway sessions as Discord keeps them: one websocket per shard, each with its own sequence.

Discord routes a guild's events to shard `(guild_id >> 22) % shard_count`, and direct messages
to shard 0 (https://discord.com/docs/events/gateway#sharding).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Close codes (https://discord.com/docs/topics/opcodes-and-status-codes#gateway-close-event-codes).
AUTHENTICATION_FAILED = 4004
INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a guild's events (a DM's: shard 0)."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


def shard_problem(shard: Any, required: int) -> tuple[int, str] | None:
    """The close code and reason Discord answers an IDENTIFY's `shard` field with, or None when valid."""
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(n, int) for n in shard)):
        return INVALID_SHARD, "Invalid shard."
    shard_id, count = shard
    if count < 1 or not 0 <= shard_id < count:
        return INVALID_SHARD, "Invalid shard."
    if count < required:
        return SHARDING_REQUIRED, "Sharding required."
    return None


@dataclass(eq=False)  # compared and hashed by identity: a connection is itself, whatever its state
class GatewaySession:
    """One gateway connection: its shard and intents once identified, its sequence, when it heartbeat."""

    ws: web.WebSocketResponse
    shard: tuple[int, int] = (0, 1)
    session_id: str = ""
    seq: int = 0
    intents: int = 0  # what IDENTIFY asked for: the events this session receives
    heartbeats: list[float] = field(default_factory=list)  # monotonic times of the bot's heartbeats

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        if self.ws.closed:
            raise ConnectionError(f"shard {self.shard[0]} is not connected to the gateway")
        frame: dict[str, Any] = {"op": op, "d": d, "s": None, "t": t}
        if op == 0:
            self.seq += 1
            frame["s"] = self.seq
        await self.ws.send_str(json.dumps(frame))

    def beat(self) -> None:
        self.heartbeats.append(time.monotonic())
