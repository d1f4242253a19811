"""A member's conversation continues whichever of the bot's processes their next question reaches."""

from __future__ import annotations

from pathlib import Path

from bot.core.conversation import Conversation
from bot.shared_conversations import TRIM_EVERY, SharedConversations
from tests.test_conversations import Clock


def test_two_processes_share_a_conversation_until_it_goes_idle(tmp_path: Path) -> None:
    clock = Clock()
    gateway = SharedConversations(tmp_path / "c.sqlite", idle_minutes=30, max_active=10, clock=clock)
    endpoint = SharedConversations(tmp_path / "c.sqlite", idle_minutes=30, max_active=10, clock=clock)
    talk = Conversation(papers=("cocoa", "least-control"), focus="cocoa")
    gateway.put((1, 42), talk)
    assert endpoint.get((1, 42)) == talk, "asked in a DM on the gateway, continued with /ask on the endpoint"
    assert endpoint.get((2, 42)) == Conversation(), "another place: a conversation of its own"
    clock.now += 31 * 60
    assert endpoint.get((1, 42)) == Conversation(), "idle past the limit: forgotten"
    endpoint.put((1, 42), talk)
    gateway.forget((1, 42))
    assert endpoint.get((1, 42)) == Conversation()


def test_the_most_recent_conversations_are_kept_within_the_cap(tmp_path: Path) -> None:
    clock = Clock()
    store = SharedConversations(tmp_path / "c.sqlite", idle_minutes=30, max_active=3, clock=clock)
    for member in range(TRIM_EVERY):
        clock.now += 1
        store.put((1, member), Conversation(papers=(f"p{member}",)))
    assert len(store) == 3
    assert store.get((1, TRIM_EVERY - 1)).papers == (f"p{TRIM_EVERY - 1}",)
    assert store.get((1, 0)) == Conversation()
