"""A busy server: a whole room asks at once, and every member gets an answer, first asked first answered.

Latency figures come from `python -m benchmarks.discord_latency` (docs/benchmarks.md); these tests
check what members see, whatever the machine's speed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.discordbot.guard import Guard
from bot.discordbot.shared_book import SharedBook
from bot.discordbot.worker import EngineWorker
from bot.settings import DiscordSettings
from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.payloads import Member, User, snowflake

ROOM = 200
QUESTIONS = ["What is COCOA?", "anything from 2021?", "credit assignment", "his newest work", "What is his h-index?"]


def test_by_default_a_room_asking_at_once_gets_through_and_one_members_flood_does_not() -> None:
    guard = Guard(DiscordSettings())
    room = [guard.check(member=1000 + n, channel=7, now=100.0 + n / 1000) for n in range(ROOM)]
    assert all(v.allowed for v in room), "200 members asking in one channel within 0.2 s"
    flood = [guard.check(member=1, channel=8, now=200.0 + n / 5) for n in range(50)]  # 5 a second for 10 s
    assert sum(v.allowed for v in flood) == 4, "one question per 3 s cooldown: at 0, 3, 6 and 9 s"
    assert {v.scope for v in flood if not v.allowed} == {"member"}
    assert sum(v.notify for v in flood if not v.allowed) <= 4, "told to slow down once per wait, not 46 times"


def test_processes_sharing_the_flood_book_stop_a_members_flood_wherever_he_asks(tmp_path: Path) -> None:
    # The HTTP endpoint's processes each check questions; they share what each member asked.
    books = [SharedBook(tmp_path / "flood.sqlite") for _ in range(2)]
    first, second = (Guard(DiscordSettings(), book) for book in books)
    assert first.check(member=1, channel=7, now=100.0).allowed
    again = second.check(member=1, channel=7, now=101.0)
    assert (again.allowed, again.scope, round(again.retry_after)) == (False, "member", 2)
    assert second.check(member=1, channel=7, now=103.5).allowed, "the cooldown is over wherever he asks"
    flood = [(first, second)[n % 2].check(member=2, channel=8, now=200.0 + n / 5) for n in range(50)]
    assert sum(v.allowed for v in flood) == 4, "one question per 3 s cooldown across both processes"
    assert sum(v.notify for v in flood if not v.allowed) <= 4, "told to slow down once per wait, not once per process"
    assert first.tracked() == second.tracked() == 2 + 2 + 2  # members answered, members told, its own channels
    for book in books:
        book.close()


@scenario
async def test_two_hundred_members_asking_at_once_with_default_limits_are_all_answered_in_order() -> None:
    async with running_bot(cooldown_seconds=DiscordSettings.cooldown_seconds) as (emu, bot):
        room = [User(snowflake(), f"listener{n}") for n in range(ROOM)]
        emu.guild.members.extend(Member(u) for u in room)
        asked = [await emu.slash(u, "ask", question=QUESTIONS[n % len(QUESTIONS)]) for n, u in enumerate(room)]
        replies = await emu.replies_to(asked, timeout=30)
        assert all(r is not None for r in replies), "every interaction got its callback"
        # On a slow machine late answers come deferred ("thinking..."), then as a follow-up.
        texts = [
            r.text() if r.payload.get("type") == 4 else (await emu.followup(i, timeout=30)).text()
            for i, r in zip(asked, replies, strict=True)
            if r is not None
        ]
        assert not [t for t in texts if t.startswith("Slow down")], "nobody in the room was told to slow down"
        cocoa = texts[:: len(QUESTIONS)]  # every fifth member asked "What is COCOA?"
        assert all("Would I have gotten that reward?" in t for t in cocoa)
        at = [r.at for r in replies if r is not None]
        assert max(at[:10]) < min(at[-10:]), "the first to ask were answered before the last"
        assert bot.questions_answered == ROOM and bot.questions_limited == 0


def busy(ms: float) -> Callable[[], str]:
    """Work that costs `ms` of CPU and says which thread did it."""

    def work() -> str:
        end = time.thread_time() + ms / 1000
        while time.thread_time() < end:
            pass
        return threading.current_thread().name

    return work


@scenario
async def test_cheap_answers_run_on_the_event_loop_and_after_a_slow_one_the_next_go_to_the_engine_thread() -> None:
    worker = EngineWorker(inline_ms=4.0)
    loop_thread = threading.current_thread().name
    assert await worker.run(busy(0.2)) != loop_thread, "nothing measured yet: the engine thread"
    assert await worker.run(busy(0.2)) == loop_thread, "cheap so far: on the event loop"
    assert await worker.run(busy(20)) == loop_thread, "nobody could know this one was slow"
    after = await asyncio.gather(*(worker.run(busy(0.2)) for _ in range(5)))
    assert loop_thread not in after, "after a slow one, the next questions go to the thread"
    worker.close()


@scenario
async def test_one_rare_slow_question_does_not_send_a_burst_to_the_engine_thread_but_common_slow_ones_do() -> None:
    worker = EngineWorker(inline_ms=4.0)
    loop_thread = threading.current_thread().name
    for _ in range(24):
        worker.warm(busy(0.2))  # start-up's warm-up questions: cheap here
    assert await worker.run(busy(0.2)) == loop_thread, "warmed up: the first question runs on the event loop"
    await worker.run(busy(20))  # a garbage collection, or one rare expensive question
    burst = await asyncio.gather(*(worker.run(busy(0.2)) for _ in range(20)))
    assert set(burst) == {loop_thread}, "one outlier does not reroute the burst"
    for _ in range(4):
        await worker.run(busy(20))
    assert await worker.run(busy(0.2)) != loop_thread, "slow work that is common goes to the thread"
    worker.close()
