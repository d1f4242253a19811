"""Discord objects as Discord's API sends them (users, members, guilds, channels, messages)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

_DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_DEFAULT = (VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
                    | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS)  # fmt: skip
PUBLIC_THREAD = 11  # channel type
EPHEMERAL = 1 << 6  # message flag: seen by the member who interacted alone
LOADING = 1 << 7  # message flag: a deferred response, "thinking"
REPLY = 19  # message type of a reply
CHAT_INPUT_COMMAND = 20  # message type of a slash command's answers
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)  # minutes a thread may be idle before it is archived


def snowflake() -> int:
    """A fresh id, shaped like Discord's (milliseconds since 2015 shifted left 22 bits)."""
    ms = int(dt.datetime.now(dt.UTC).timestamp() * 1000) - _DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Member:
    user: User
    permissions: int = EVERYONE_DEFAULT  # resolved guild permissions, as interactions carry them
    roles: list[int] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {
            "user": self.user.payload(),
            "roles": [str(r) for r in self.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
        }

    def partial(self) -> dict[str, Any]:
        """The member as messages and interactions carry it beside its user: without the user."""
        return {k: v for k, v in self.payload().items() if k != "user"}


@dataclass
class Channel:
    id: int
    name: str
    guild_id: int | None  # None: a DM
    bot_denied: int = 0  # permission bits denied to the bot in this channel (an overwrite)
    parent: Channel | None = None  # a thread's channel; a thread has its parent's permissions
    owner_id: int | None = None  # who started the thread
    auto_archive_duration: int = 1440

    @property
    def is_thread(self) -> bool:
        return self.parent is not None

    def payload(self, bot_id: int) -> dict[str, Any]:
        if self.guild_id is None:
            return {"id": str(self.id), "type": 1, "recipients": [], "last_message_id": None}
        if self.parent is not None:
            return self._thread_payload()
        overwrites = []
        if self.bot_denied:
            overwrites.append({"id": str(bot_id), "type": 1, "allow": "0", "deny": str(self.bot_denied)})
        return {
            "id": str(self.id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": overwrites,
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


    def _thread_payload(self) -> dict[str, Any]:
        """A public thread as Discord sends it (a channel object with thread_metadata)."""
        assert self.parent is not None
        return {
            "id": str(self.id),
            "type": PUBLIC_THREAD,
            "guild_id": str(self.guild_id),
            "parent_id": str(self.parent.id),
            "owner_id": str(self.owner_id),
            "name": self.name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": self.auto_archive_duration,
                "archive_timestamp": now_iso(),
                "locked": False,
                "create_timestamp": now_iso(),
            },
        }


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    everyone_permissions: int = EVERYONE_DEFAULT

    def payload(self, bot_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(self.id),
                    "name": "@everyone",
                    "permissions": str(self.everyone_permissions),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [c.payload(bot_id) for c in self.channels],
            "members": [m.payload() for m in self.members],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "joined_at": "2024-01-01T00:00:00+00:00",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
        }


def message(
    channel_id: int,
    author: dict[str, Any],
    content: str = "",
    *,
    guild_id: int | None = None,
    member: dict[str, Any] | None = None,
    embeds: list[Any] | None = None,
    components: list[Any] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    flags: int = 0,
    message_id: int | None = None,
) -> dict[str, Any]:
    """A message object with every key discord.py reads."""
    data: dict[str, Any] = {
        "id": str(message_id or snowflake()),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if member is not None:
        data["member"] = {k: v for k, v in member.items() if k != "user"}
    return data


def reply_fields(replied: dict[str, Any]) -> dict[str, Any]:
    """What makes a message a reply to `replied`: its type, the reference and the message itself."""
    reference: dict[str, Any] = {"type": 0, "message_id": replied["id"]}
    reference.update((k, replied[k]) for k in ("channel_id", "guild_id") if k in replied)
    # One level deep, as Discord sends it: the replied message's own reply is not nested in.
    referenced = {k: v for k, v in replied.items() if k != "referenced_message"}
    return {"type": REPLY, "message_reference": reference, "referenced_message": referenced}
