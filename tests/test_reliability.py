"""A busy server: floods, hostile text, broken files and restarts lose nothing (issue 5)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time
import weakref
from pathlib import Path

import pytest

from tests.discord_emulator.harness import ROOT, running_bot, scenario
from tests.discord_emulator.server import EPHEMERAL
from tests.discord_emulator.soak import COCOA_NEW_TITLE, soak

SOAK_QUESTIONS = int(os.environ.get("PAPERBOT_SOAK_QUESTIONS", "2000"))
COCOA = "Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"


@scenario
async def test_a_soak_of_hostile_questions_reloads_and_a_dropped_gateway_loses_nothing() -> None:
    report = await soak(SOAK_QUESTIONS, members=50, channels=5)
    print("\n".join(report.lines()))
    assert report.questions == SOAK_QUESTIONS
    # Counted from what Discord received: every question got an answer, a refusal or a notice,
    # except mentions refused again within a window, which are told once (docs/reliability.md).
    silent = report.limited - report.notices
    assert report.answered + report.notices + report.refused_too_long + silent == report.questions
    assert 0 <= silent <= report.mentions
    assert report.mentions_unanswered == 0
    assert report.answered > report.questions // 4, "members get answers, not only cooldowns"
    assert report.limited > 0, "and the flood is limited, not queued"
    assert report.callbacks_missing == 0
    assert report.errors_logged == []
    assert report.violations == []
    assert (report.reloads_ok, report.reloads_failed) == (2, 1)
    assert report.resumes == 1
    # The probes saw both versions of the corpus (the reloads swapped it), and always COCOA whole.
    assert set(report.probes) == {COCOA, COCOA_NEW_TITLE}, report.probes
    assert report.half_loaded == 0


def _site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path / "config" / "config.yaml"


@scenario
async def test_reload_is_for_the_owner_or_manage_server_and_a_broken_corpus_keeps_the_old_index(
    tmp_path: Path,
) -> None:
    config = _site(tmp_path)
    corpus = tmp_path / "corpus" / "alexander-meulemans.yaml"
    async with running_bot(config=config) as (emu, bot):
        assert bot.guard.cooldown == 0.0  # the test's start-up override
        refused = await emu.reply_to(await emu.slash(emu.alice, "reload"))
        assert refused.message["flags"] & EPHEMERAL and "Manage Server" in refused.message["content"]

        corpus.write_text(corpus.read_text(encoding="utf-8").replace("date: 2023-06-29", "date: soon"), "utf-8")
        interaction = await emu.slash(emu.owner, "reload")
        report = await emu.followup(interaction)
        assert "Reload failed, still serving the previous index" in report.payload["content"]
        assert "alexander-meulemans.yaml" in report.payload["content"] and "date" in report.payload["content"]
        assert "soon" not in report.payload["content"], "members never see what the file holds"
        assert "Would I have" not in report.payload["content"], "not even the paper's title"
        still = await emu.reply_to(await emu.slash(emu.bob, "ask", question="What is COCOA?"))
        assert still.message["embeds"][0]["url"] == "https://arxiv.org/abs/2306.16803"

        corpus.write_text(corpus.read_text(encoding="utf-8").replace("date: soon", "date: 2023-06-29"), "utf-8")
        # The index built at start is hidden from the garbage collector (bot/heap.py); a reload must
        # still free it, or every reload of a months-long run would keep one more index in memory.
        previous = weakref.ref(bot.engine)
        fixed = await emu.followup(await emu.slash(emu.owner, "reload"))
        assert fixed.payload["content"] == "Reloaded: 15 papers of Alexander Meulemans."
        assert bot.guard.cooldown == 3.0, "the reloaded config's limits apply at once"
        assert previous() is None, "the previous index is freed"
        assert emu.violations == []


@scenario
async def test_server_errors_are_retried_and_a_channel_without_send_permission_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.discord_emulator.payloads import SEND_MESSAGES

    async with running_bot() as (emu, _):
        emu.fail("POST", r"/channels/\d+/messages", 502, times=1)
        start = time.monotonic()
        await emu.send_message(emu.alice, f"<@{emu.bot.id}> What is COCOA?")
        reply = await emu.channel_reply(emu.general, start, timeout=15)
        assert reply.payload["embeds"][0]["url"] == "https://arxiv.org/abs/2306.16803"
        assert [r.status for r in emu.channel_posts(emu.general)] == [502, 200]

        emu.quiet.bot_denied = SEND_MESSAGES
        with caplog.at_level(logging.WARNING, logger="paperbot.discord"):
            await emu.send_message(emu.bob, f"<@{emu.bot.id}> What is DFC?", emu.quiet)
            await emu.wait_for(lambda r: r.path == f"/channels/{emu.quiet.id}/messages" and r.status == 403)
            await asyncio.sleep(0.2)
        warnings = [r.getMessage() for r in caplog.records if "missing permission" in r.getMessage()]
        assert warnings == [f"missing permission to reply in channel {emu.quiet.id}"]
        after = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is DFC?"))
        assert after.message["embeds"], "the bot keeps answering elsewhere"


@scenario
async def test_echoed_words_cannot_ping_or_turn_into_markdown() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "papers", topic="**credit** @everyone <@&1> `x`"))
        text = reply.message["embeds"][0]["title"]
        assert "@everyone" not in text.replace("@\u200beveryone", "")
        assert "**credit**" not in text and "\\*\\*credit\\*\\*" in text
        assert reply.message["allowed_mentions"] == {"parse": []}
