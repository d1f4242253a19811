"""The gateway events Discord sends a bot about its own messages, and the order they go out in.

Every non-ephemeral message the bot creates, edits or deletes comes back to it as MESSAGE_CREATE,
MESSAGE_UPDATE or MESSAGE_DELETE (https://discord.com/developers/docs/topics/gateway-events#messages),
on the shard its guild routes to, when that session identified with GUILD_MESSAGES (guild channels
and threads) or DIRECT_MESSAGES (DMs). An ephemeral message is the member's alone: nothing comes back.
The message-content intent never hides a bot's own messages, so they keep their content.

Discord sends the event about when it answers the REST call; the emulator sends it just after the
answer is written, never before, and in the order the messages changed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from tests.discord_emulator.payloads import EPHEMERAL

GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12


def intent_for(guild_id: int | None) -> int:
    """The intent a session needs to hear about messages in a guild (None: a DM)."""
    return DIRECT_MESSAGES if guild_id is None else GUILD_MESSAGES


def message_event(event: str, msg: dict[str, Any], member: dict[str, Any] | None) -> dict[str, Any] | None:
    """The event's payload as Discord sends it, taken now (later edits must not show in it); None for
    an ephemeral message. `member` is the bot's member in the message's guild (without its user):
    Discord adds it to messages a member posted, not to webhook and interaction messages."""
    if (msg.get("flags") or 0) & EPHEMERAL:
        return None
    if event == "MESSAGE_DELETE":
        return {k: msg[k] for k in ("id", "channel_id", "guild_id") if k in msg}
    # A deep copy through JSON, as the message goes over the wire anyway: ten times copy.deepcopy's
    # speed, which was most of the emulator's own work per reply in a burst.
    data = orjson.loads(orjson.dumps(msg))
    if member is not None and "guild_id" in msg and "webhook_id" not in msg:
        data["member"] = member
    return data


class Outbox:
    """Events sent one at a time, in the order they were posted, by one task of its own: posting
    never waits for the gateway. `close` sends what is left before the task ends."""

    def __init__(self, send: Callable[[str, dict[str, Any]], Awaitable[None]]) -> None:
        self._send = send
        self._queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.errors: list[BaseException] = []

    def post(self, event: str, data: dict[str, Any]) -> None:
        """Queue an event; the sending task starts with the first one."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        self._queue.put_nowait((event, data))

    async def drain(self) -> None:
        """Wait until every event posted so far has been sent (or dropped)."""
        await self._queue.join()

    async def close(self, timeout: float = 5.0) -> None:
        """Send what is queued, then stop the task; an error met on the way is raised here, and
        TimeoutError when the queue does not empty within `timeout` seconds."""
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self.drain(), timeout)
        finally:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.errors:
            raise RuntimeError(f"{len(self.errors)} gateway event(s) failed to send") from self.errors[0]

    async def _run(self) -> None:
        while True:
            event, data = await self._queue.get()
            try:
                await self._send(event, data)
            except Exception as err:  # kept for close(): the task must outlive one bad event
                self.errors.append(err)
            finally:
                self._queue.task_done()
