"""Which process must answer an interaction: the one that holds its view, or any.

A press on a button or menu goes to the process whose view it is (its custom id starts with that
process' tag). Anything else is answered where it arrives: conversations are in a file every
process shares (bot/shared_conversations.py).
"""

from __future__ import annotations

import re
from typing import Any

PING, COMMAND, COMPONENT = 1, 2, 3
THREAD_TYPES = (10, 11, 12)  # announcement, public and private threads
_TAGGED = re.compile(r"w(\d+):")


def tag(index: int) -> str:
    """What process `index` puts before its views' custom ids."""
    return f"w{index}:"


def member_id(payload: dict[str, Any]) -> int:
    """Who interacted: a member in a server, a user in a DM."""
    user = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    return int(user.get("id") or 0)


def is_ask(payload: dict[str, Any]) -> bool:
    return payload.get("type") == COMMAND and (payload.get("data") or {}).get("name") == "ask"


def owner(payload: dict[str, Any], processes: int) -> int | None:
    """The process that must answer, or None when any may."""
    if payload.get("type") != COMPONENT:
        return None
    found = _TAGGED.match(str((payload.get("data") or {}).get("custom_id", "")))
    index = int(found.group(1)) if found else -1
    return index if 0 <= index < processes else None
