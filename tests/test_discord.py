"""Members use the bot on Discord: every command, button and message, through the offline emulator.

The real, unmodified discord.py client runs against tests/discord_emulator; each test checks
what Discord would have received: the right papers, links and people, within Discord's limits,
and never a ping.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.engine import Engine
from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.server import EPHEMERAL

ROOT = Path(__file__).resolve().parent.parent
LEAST_CONTROL = "The least-control principle for local learning at equilibrium"
COCOA = "Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"


def buttons(message: dict[str, object]) -> dict[str, dict[str, object]]:
    """A message's buttons by label, and its select menu under its placeholder."""
    rows = message.get("components") or []
    return {c.get("label") or c["placeholder"]: c for row in rows for c in row["components"]}  # type: ignore[index,union-attr]


def fields(embed: dict[str, object]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields") or []}  # type: ignore[attr-defined,index]


@scenario
async def test_ask_gives_a_compact_card_with_link_buttons_and_no_internal_noise() -> None:
    async with running_bot() as (emu, _):
        question = "What is the least-control principle about?"
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question=question))
        assert reply.payload["type"] == 4
        card = reply.message["embeds"][0]
        assert card["title"] == LEAST_CONTROL
        assert card["url"] == "https://arxiv.org/abs/2207.01332"
        byline, summary = card["description"].split("\n\n", 1)
        assert byline.startswith("NeurIPS 2022 · ") and "**Alexander Meulemans**" in byline
        assert "Nicolas Zucchet" in byline and "least-control" in summary
        message_id = list(emu.messages)[-1]
        found = buttons(emu.messages[message_id])
        assert found["arXiv"]["url"] == "https://arxiv.org/abs/2207.01332"
        assert {"Full abstract", "Cite", "More like this"} <= set(found)
        assert "footer" not in card and "score" not in reply.text(), "no match score for members"
        assert reply.message["allowed_mentions"] == {"parse": []}

        full = await emu.reply_to(await emu.click(emu.alice, message_id, str(found["Full abstract"]["custom_id"])))
        details = full.message["embeds"][0]
        assert fields(details)["Published"] == "4 Jul 2022 · NeurIPS 2022 · Machine Learning", "not cs.LG"
        assert details["color"], "the full abstract has the cards' colour"
        assert emu.violations == [] and emu.unknown_routes == []


@scenario
async def test_nothing_relevant_gets_a_friendly_reply_suggesting_papers_and_help() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What's the weather in Paris?"))
        assert not reply.message.get("embeds")
        assert "about that" in reply.message["content"] and "/papers" in reply.message["content"]
        assert "/help" in reply.message["content"]
        examples = buttons(reply.message)
        assert "What is MesaNet?" in examples, "example questions that work here, one press away"
        message_id = list(emu.messages)[-1]
        mesanet = str(examples["What is MesaNet?"]["custom_id"])
        pressed = await emu.reply_to(await emu.click(emu.alice, message_id, mesanet))
        assert pressed.message["flags"] & EPHEMERAL
        assert pressed.message["embeds"][0]["title"].startswith("MesaNet")


@scenario
async def test_profile_figures_come_as_fields() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is his h-index?"))
        fields = {f["name"]: f["value"] for f in reply.message["embeds"][0]["fields"]}
        assert fields["h-index"] == "75 (reported by profile page)"
        assert fields["In doubt"].startswith("An h-index of 75 needs at least 5,625 citations, not 436")


@scenario
async def test_paper_autocomplete_offers_titles_and_acronyms() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.autocomplete(emu.alice, "paper", "title", "coc"))
        assert reply.payload["type"] == 8
        choices = reply.payload["data"]["choices"]
        assert 1 <= len(choices) <= 25
        assert any("COCOA" in c["name"] for c in choices)
        everything = await emu.reply_to(await emu.autocomplete(emu.alice, "paper", "title", ""))
        assert len(everything.payload["data"]["choices"]) == 15
        assert emu.violations == []


@scenario
async def test_paper_card_with_links_full_abstract_and_more_like_this_only_for_the_asker() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "paper", title="COCOA"))
        card = reply.message["embeds"][0]
        assert card["title"] == COCOA
        message_id = list(emu.messages)[-1]
        found = buttons(emu.messages[message_id])
        assert set(found) == {"arXiv", "PDF", "Code", "Full abstract", "Cite", "More like this"}
        assert found["PDF"]["url"] == "https://arxiv.org/pdf/2306.16803"

        full = await emu.reply_to(await emu.click(emu.alice, message_id, str(found["Full abstract"]["custom_id"])))
        assert full.message["flags"] & EPHEMERAL
        details = full.message["embeds"][0]
        assert details["description"].endswith("sample-efficient reinforcement learning.")
        assert fields(details)["Also known as"] == "COCOA", "beside the abstract, not glued onto it"
        assert details["color"]

        like = await emu.reply_to(await emu.click(emu.alice, message_id, str(found["More like this"]["custom_id"])))
        lines = like.message["embeds"][0]["description"].splitlines()
        assert len(lines) >= 2 and all(line.startswith("• [") for line in lines), "one line per paper"
        assert COCOA not in like.message["embeds"][0]["description"]
        menu = next(c for row in like.message["components"] for c in row["components"] if c["type"] == 3)
        like_id = list(emu.messages)[-1]
        opened = await emu.reply_to(await emu.choose(emu.alice, like_id, menu["custom_id"], "0"))
        assert opened.message["embeds"][0]["title"] == menu["options"][0]["label"]
        assert opened.message["flags"] & EPHEMERAL

        refused = await emu.reply_to(await emu.click(emu.bob, message_id, str(found["Full abstract"]["custom_id"])))
        assert refused.message["flags"] & EPHEMERAL
        assert refused.message["content"] == "Only the person who asked can use these buttons."
        assert emu.violations == []


@scenario
async def test_papers_are_paginated_with_previous_and_next() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "papers"))
        first = reply.message["embeds"][0]
        assert first["title"] == "15 papers" and first["footer"]["text"] == "Page 1 of 3"
        assert first["description"].count("\n") == 4
        message_id = list(emu.messages)[-1]
        found = buttons(emu.messages[message_id])
        assert found["Previous"].get("disabled") is True
        page2 = await emu.reply_to(await emu.click(emu.alice, message_id, str(found["Next"]["custom_id"])))
        assert page2.payload["type"] == 7
        assert page2.message["embeds"][0]["footer"]["text"] == "Page 2 of 3"
        filtered = await emu.reply_to(await emu.slash(emu.alice, "papers", year=2020))
        assert filtered.message["embeds"][0]["title"] == "3 papers (2020)"
        assert set(buttons(filtered.message)) == {"Open a paper…"}, "one page: no Previous / Next"
        assert emu.violations == []


@scenario
async def test_papers_of_one_kind_chosen_from_the_kinds_the_corpus_has() -> None:
    async with running_bot() as (emu, _):
        offered = await emu.reply_to(await emu.autocomplete(emu.alice, "papers", "kind", ""))
        choices = {c["value"]: c["name"] for c in offered.payload["data"]["choices"]}
        assert choices == {"conference": "Conference papers (9)", "preprint": "Preprints (5)",
                           "workshop": "Workshop papers (1)"}, "only the kinds he has, with how many"  # fmt: skip
        typed = await emu.reply_to(await emu.autocomplete(emu.alice, "papers", "kind", "pre"))
        assert [c["value"] for c in typed.payload["data"]["choices"]] == ["preprint"]
        listed = await emu.reply_to(await emu.slash(emu.alice, "papers", kind="workshop"))
        assert listed.message["embeds"][0]["title"] == "1 workshop paper"
        assert "Impact Regularizers" in listed.message["embeds"][0]["description"]
        none = await emu.reply_to(await emu.slash(emu.alice, "papers", kind="journal", year=2021))
        assert none.message["content"] == "No journal article matches 2021. Try `/papers` without filters."
        made_up = await emu.reply_to(await emu.slash(emu.alice, "papers", kind="poem"))
        assert made_up.message["flags"] & EPHEMERAL and "no kind of paper" in made_up.message["content"]
        assert emu.violations == []


@scenario
async def test_buttons_are_disabled_when_they_expire() -> None:
    async with running_bot(view_timeout_seconds=1.0) as (emu, _):
        interaction = await emu.slash(emu.alice, "papers")
        await emu.reply_to(interaction)
        edit = await emu.wait_for(lambda r: r.method == "PATCH" and "@original" in r.path, timeout=5)
        states = [c.get("disabled") for row in edit.payload["components"] for c in row["components"]]
        assert states and all(states)


@scenario
async def test_coauthors_with_and_without_a_name_and_autocomplete() -> None:
    async with running_bot() as (emu, bot):
        top = await emu.reply_to(await emu.slash(emu.alice, "coauthors"))
        first = top.message["embeds"][0]
        everyone = len(bot.engine.coauthor_counts())
        assert first["title"] == f"{everyone} coauthors of Alexander Meulemans, most frequent first"
        assert first["description"].startswith("11 · João Sacramento")
        pages = -(-everyone // 20)
        assert pages > 1 and first["footer"]["text"] == f"Page 1 of {pages}", "all of them, in pages"
        message_id = list(emu.messages)[-1]
        next_page = str(buttons(emu.messages[message_id])["Next"]["custom_id"])
        page2 = await emu.reply_to(await emu.click(emu.alice, message_id, next_page))
        assert page2.message["embeds"][0]["footer"]["text"] == f"Page 2 of {pages}"
        shared = await emu.reply_to(await emu.slash(emu.alice, "coauthors", name="zucchet"))
        embed = shared.message["embeds"][0]
        assert embed["title"] == "2 papers with Nicolas Zucchet"
        assert LEAST_CONTROL in embed["description"]
        names = await emu.reply_to(await emu.autocomplete(emu.alice, "coauthors", "name", "wol"))
        assert [c["value"] for c in names.payload["data"]["choices"]] == ["Maciej Wołczyk"]


@scenario
async def test_about_and_help() -> None:
    async with running_bot() as (emu, _):
        about = await emu.reply_to(await emu.slash(emu.alice, "about"))
        card = about.message["embeds"][0]
        figures = fields(card)
        assert card["title"] == "Alexander Meulemans"
        assert card["description"] == "15 papers in this bot's corpus, 2020–2026."
        assert figures["Alexander Meulemans"] == (
            "Reported by profile page: h-index 75 · 436 citations (these do not add up)"
        ), "each figure once: the 15 papers are not repeated"
        assert about.text().count("15") == 1
        assert "2020: 3" in figures["Papers per year"] and "Machine Learning: " in figures["Papers per category"]
        assert figures["Papers per kind"] == "Conference papers: 9 · Preprints: 5 · Workshop papers: 1"
        assert figures["Most frequent coauthors"].startswith("João Sacramento (11)")
        help_ = await emu.reply_to(await emu.slash(emu.alice, "help"))
        assert help_.message["flags"] & EPHEMERAL and "/ask" in str(help_.message["embeds"])


@scenario
async def test_a_mention_and_a_dm_are_answered_like_ask() -> None:
    async with running_bot() as (emu, _):
        start = time.monotonic()
        question = await emu.send_message(emu.alice, f"<@{emu.bot.id}> what did he write with Nicolas Zucchet?")
        reply = await emu.channel_reply(emu.general, start)
        assert reply.payload["embeds"][0]["title"] == "2 papers with Nicolas Zucchet"
        assert str(reply.payload["message_reference"]["message_id"]) == question["id"]
        assert reply.payload["allowed_mentions"]["replied_user"] is False
        menu = buttons(reply.payload)["Open a paper…"]
        opened = await emu.reply_to(await emu.choose(emu.alice, list(emu.messages)[-1], menu["custom_id"], "1"))
        assert opened.message["embeds"][0]["title"] == LEAST_CONTROL
        await emu.send_message(emu.bob, "What is COCOA?", dm=True)
        dm = await emu.wait_for(lambda r: r.path == f"/channels/{emu.dm_channels[emu.bob.id].id}/messages")
        assert dm.payload["embeds"][0]["title"] == COCOA
        assert {"arXiv", "Full abstract", "Cite", "More like this"} <= set(buttons(dm.payload)), "buttons in DMs too"
        assert emu.violations == []


@scenario
async def test_other_bots_itself_and_unaddressed_messages_are_ignored() -> None:
    async with running_bot() as (emu, bot):
        await emu.send_message(emu.other_bot, f"<@{emu.bot.id}> What is COCOA?")
        await emu.send_message(emu.bot, f"<@{emu.bot.id}> What is COCOA?")
        await emu.send_message(emu.alice, "What is COCOA?", emu.quiet)  # listen channel, but no intent
        await asyncio.sleep(0.5)
        assert emu.channel_posts(emu.general) == [] and emu.channel_posts(emu.quiet) == []
        assert bot.questions_answered == 0
        assert emu.identify_intents is not None and not emu.identify_intents & (1 << 15)
        # Servers, their messages and DMs; never typing (1 << 11), reactions (1 << 10) or voice (1 << 7),
        # which a busy server would send by the thousand for nothing.
        assert emu.identify_intents == (1 << 0) | (1 << 9) | (1 << 12)


@scenario
async def test_a_listened_channel_is_answered_with_the_message_content_intent() -> None:
    from tests.discord_emulator.server import DiscordEmulator

    emu = await DiscordEmulator().start()
    async with running_bot(emu=emu, listen_channels=(emu.quiet.id,), message_content_intent=True) as (emu, _):
        assert emu.identify_intents is not None and emu.identify_intents & (1 << 15)
        start = time.monotonic()
        await emu.send_message(emu.alice, "What is COCOA?", emu.quiet)
        reply = await emu.channel_reply(emu.quiet, start)
        assert reply.payload["embeds"][0]["title"] == COCOA
        await emu.send_message(emu.alice, "What is COCOA?", emu.general)
        await asyncio.sleep(0.3)
        assert emu.channel_posts(emu.general) == []


@scenario
async def test_the_cooldown_answers_slow_down_ephemerally() -> None:
    async with running_bot(cooldown_seconds=30.0) as (emu, _):
        await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?"))
        second = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is DFC?"))
        assert second.message["flags"] & EPHEMERAL
        assert second.message["content"].startswith("Slow down: try again in ")
        other = await emu.reply_to(await emu.slash(emu.bob, "ask", question="What is DFC?"))
        assert other.message["embeds"], "another member is not slowed down"


@scenario
async def test_a_question_over_the_length_limit_is_refused_clearly() -> None:
    async with running_bot(max_question_chars=100) as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="credit assignment " * 20))
        assert reply.message["flags"] & EPHEMERAL
        assert "I read questions of up to 100" in reply.message["content"]


@scenario
async def test_without_embed_links_the_bot_answers_in_plain_text() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?", channel=emu.no_embeds))
        assert not reply.message.get("embeds")
        assert COCOA in reply.message["content"] and "https://arxiv.org/abs/2306.16803" in reply.message["content"]
        start = time.monotonic()
        await emu.send_message(emu.alice, f"<@{emu.bot.id}> What is COCOA?", emu.no_embeds)
        plain = await emu.channel_reply(emu.no_embeds, start)
        assert not plain.payload.get("embeds") and COCOA in plain.payload["content"]
        assert emu.violations == []


def _huge_corpus(tmp_path: Path) -> Path:
    """A config whose corpus holds a paper over every Discord limit."""
    import shutil

    import yaml

    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "corpus").mkdir()
    words = " ".join(f"equilibrium{i}" for i in range(400))
    paper = {
        "id": "huge", "title": "Equilibrium " + "very long title " * 80, "date": "2024-01-01", "category": "cs.LG",
        "organisation": "lab " * 300, "authors": [f"Author Number{i} Person" for i in range(600)] + ["Ada Huge"],
        "authors_truncated": True, "abstract": ". ".join(f"Equilibrium sentence {i} {words}" for i in range(40)) + ".",
        "url": "https://example.org/" + "x" * 1500, "venue": "Venue " * 200,
    }  # fmt: skip
    data = {"profile": {"name": "Ada Huge"}, "papers": [paper]}
    (tmp_path / "corpus" / "huge.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    config = tmp_path / "config" / "config.yaml"
    config.write_text("corpus: [../corpus/huge.yaml]\n", encoding="utf-8")
    return config


@scenario
async def test_replies_over_every_discord_limit_are_cut_never_rejected(tmp_path: Path) -> None:
    async with running_bot(config=_huge_corpus(tmp_path)) as (emu, _):
        await emu.reply_to(await emu.slash(emu.alice, "ask", question="equilibrium sentence"))
        await emu.reply_to(await emu.slash(emu.alice, "paper", title="huge"))
        await emu.reply_to(await emu.slash(emu.alice, "papers"))
        await emu.reply_to(await emu.slash(emu.alice, "about"))
        await emu.reply_to(await emu.slash(emu.alice, "ask", question="equilibrium", channel=emu.no_embeds))
        start = time.monotonic()
        await emu.send_message(emu.alice, f"<@{emu.bot.id}> equilibrium sentence")
        await emu.channel_reply(emu.general, start)
        assert emu.violations == []
        assert all(r.status < 400 for r in emu.requests)


@scenario
async def test_an_error_in_a_command_gives_an_apology_with_the_id_in_the_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Engine, question: str, query: object = None) -> None:
        raise RuntimeError("index exploded")

    async with running_bot() as (emu, _):
        monkeypatch.setattr(Engine, "answer", broken)  # every question, follow-up or not, is answered there
        with caplog.at_level(logging.ERROR, logger="paperbot.discord"):
            reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?"))
        assert reply.message["flags"] & EPHEMERAL
        text = reply.message["content"]
        assert text.startswith("Sorry, something went wrong") and "error id `" in text
        error_id = text.split("`")[1]
        assert any(error_id in r.getMessage() and "index exploded" in r.getMessage() for r in caplog.records)
        monkeypatch.undo()
        again = await emu.reply_to(await emu.slash(emu.bob, "ask", question="What is COCOA?"))
        assert again.message["embeds"][0]["title"] == COCOA, "the bot keeps running"


@scenario
async def test_mentions_in_questions_never_ping() -> None:
    async with running_bot() as (emu, _):
        start = time.monotonic()
        await emu.send_message(emu.alice, f"<@{emu.bot.id}> @everyone <@&123> <@{emu.bob.id}> COCOA?")
        reply = await emu.channel_reply(emu.general, start)
        assert reply.payload["allowed_mentions"]["parse"] == []
        assert emu.violations == []


@scenario
async def test_commands_are_synced_only_to_a_development_guild_or_on_request() -> None:
    async with running_bot() as (emu, _):
        assert emu.synced == {}
    from tests.discord_emulator.server import DiscordEmulator

    emu = await DiscordEmulator().start()
    async with running_bot(emu=emu, dev_guild_id=emu.guild.id) as (emu, _):
        names = {c["name"] for c in emu.synced[str(emu.guild.id)]}
        assert names == {"ask", "paper", "papers", "coauthors", "about", "help", "reload", "refresh", "cite", "stats"}
        assert "global" not in emu.synced


@scenario
async def test_rate_limits_and_server_errors_are_retried_and_a_dropped_gateway_resumes() -> None:
    async with running_bot() as (emu, _):
        emu.fail("POST", r"/channels/\d+/messages", 429, times=1, retry_after=0.2)
        start = time.monotonic()
        await emu.send_message(emu.alice, f"<@{emu.bot.id}> What is COCOA?")
        reply = await emu.channel_reply(emu.general, start, timeout=10)
        assert reply.status == 200
        limited = [r for r in emu.channel_posts(emu.general) if r.status == 429]
        assert len(limited) == 1

        await emu.drop_connection()
        await asyncio.sleep(1.5)
        assert emu.resumes == 1 and emu.identifies == 1
        after = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is DFC?"), timeout=10)
        assert after.message["embeds"]


@scenario
async def test_a_slow_answer_is_deferred_then_sent_as_a_follow_up() -> None:
    async with running_bot(defer_after_ms=0) as (emu, _):
        interaction = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        first = await emu.reply_to(interaction)
        assert first.payload["type"] == 5, "deferred inside Discord's 3 s window"
        follow = await emu.followup(interaction)
        assert follow.payload["embeds"][0]["title"] == COCOA
        assert emu.violations == []


@scenario
async def test_an_expired_interaction_is_one_warning_line_and_no_apology(caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot() as (emu, _):
        emu.fail("POST", r"/interactions/\d+/[^/]+/callback", 404, times=1)
        with caplog.at_level(logging.WARNING):
            interaction = await emu.slash(emu.alice, "ask", question="What is COCOA?")
            await emu.wait_for(lambda r: r.path.endswith("/callback") and r.status == 404)
            await asyncio.sleep(0.3)
        token = interaction["token"]
        tries = [r for r in emu.requests if token in r.path]
        assert [r.status for r in tries] == [404], "no retry, no apology on a dead interaction"
        lines = [r for r in caplog.records if r.name.startswith("paperbot") or r.levelno >= logging.ERROR]
        assert [(r.levelname, r.getMessage()) for r in lines] == [
            ("WARNING", f"/ask from user {emu.alice.id}: the interaction expired before the reply (HTTP 404): "
                        "not answered"),
        ]  # fmt: skip
        assert not any(r.exc_info for r in caplog.records)
        again = await emu.reply_to(await emu.slash(emu.bob, "ask", question="What is COCOA?"))
        assert again.message["embeds"][0]["title"] == COCOA


@scenario
async def test_the_heartbeat_says_connected_only_while_the_gateway_is_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.heartbeat import health

    async def eventually(condition: Callable[[], bool]) -> None:
        for _ in range(100):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the heartbeat did not follow the connection")

    beat = tmp_path / "run" / "heartbeat"
    async with running_bot(heartbeat_file=beat) as (emu, bot):
        await eventually(beat.exists)
        assert health(beat).healthy and float(beat.read_text(encoding="utf-8")) > time.time() - 60
        assert health(beat, now=time.time() + 200).message.startswith("unhealthy: the last heartbeat is 2")

        await emu.drop_connection()
        await eventually(lambda: not beat.exists() or emu.resumes == 1)
        await eventually(beat.exists)  # resumed: connected again
        assert emu.resumes == 1 and health(beat).healthy

        beat.unlink()
        beat.parent.rmdir()
        beat.parent.write_text("a file where the heartbeat's folder should be", encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="paperbot.discord"):
            bot.record_heartbeat(connected=True)
            bot.record_heartbeat(connected=True)
        warnings = [r.getMessage() for r in caplog.records if "heartbeat" in r.getMessage()]
        assert len(warnings) == 1 and f"cannot write the heartbeat file {beat}" in warnings[0]
        beat.parent.unlink()
        bot.record_heartbeat(connected=True)
        assert health(beat).healthy
    assert not beat.exists(), "a stopped bot leaves no heartbeat behind"
    assert health(beat).message == f"unhealthy: no heartbeat at {beat}: the bot is not connected to Discord"


@scenario
async def test_an_organisation_is_shown_by_its_name_not_its_slug() -> None:
    async with running_bot() as (emu, _):
        async def organisation(title: str) -> str:
            await emu.reply_to(await emu.slash(emu.alice, "paper", title=title))
            message_id = list(emu.messages)[-1]
            full = buttons(emu.messages[message_id])["Full abstract"]["custom_id"]
            details = await emu.reply_to(await emu.click(emu.alice, message_id, str(full)))
            return fields(details.message["embeds"][0])["Organisation"]

        assert await organisation("Learning to Extract Structured Entities") == "Microsoft Research"
        assert await organisation("Uncovering mesa-optimization") == "Google DeepMind"


@scenario
async def test_the_coauthor_asked_about_is_marked_even_beyond_the_cut() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="papers with Razvan Pascanu"))
        assert reply.message["embeds"][0]["title"] == "2 papers with Razvan Pascanu"
        message_id = list(emu.messages)[-1]
        menu = buttons(emu.messages[message_id])["Open a paper…"]
        assert len(menu["options"]) == 2, "his two papers with Pascanu"
        for option in menu["options"]:
            opened = await emu.reply_to(await emu.choose(emu.alice, message_id, menu["custom_id"], option["value"]))
            byline = opened.message["embeds"][0]["description"].split("\n\n")[0]
            # Pascanu is the 12th of 13 or 16 authors; four are shown, and he is one of them, marked.
            assert "__Razvan Pascanu__" in byline and "**Alexander Meulemans**" in byline
            assert re.search(r" \+\d+$", byline), "the others counted, not listed"
            card_id = list(emu.messages)[-1]
            full = buttons(emu.messages[card_id])["Full abstract"]["custom_id"]
            details = await emu.reply_to(await emu.click(emu.alice, card_id, str(full)))
            assert "__Razvan Pascanu__" in fields(details.message["embeds"][0])["Authors"], "marked in the full list"
        assert emu.violations == []
