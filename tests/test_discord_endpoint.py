"""Members use the bot through Discord's HTTP interactions endpoint: the same replies, from several processes.

With an Interactions Endpoint URL saved, the emulator POSTs every interaction, signed, to the bot
(tests/discord_emulator/endpoint.py). Here each process listens on a port of its own, so that a
test chooses which one an interaction reaches: a press or a follow-up that reaches the wrong one
must still be answered, by the process that holds its state.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from pathlib import Path

import orjson
import pytest
from nacl.signing import SigningKey

from bot.discordbot.endpoint.processes import Processes, serve_process
from bot.discordbot.endpoint.routing import owner
from bot.heartbeat import health
from bot.settings import EndpointSettings
from tests.discord_emulator.harness import running_bot, running_endpoint, scenario
from tests.discord_emulator.payloads import Channel, snowflake
from tests.discord_emulator.server import DiscordEmulator
from tests.test_discord import LEAST_CONTROL, buttons, fields

ROOT = Path(__file__).resolve().parent.parent


@scenario
async def test_ask_is_answered_in_the_response_and_its_buttons_work_from_any_process() -> None:
    async with running_endpoint(processes=2) as (emu, (first, second)):
        question = "What is the least-control principle about?"
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question=question))
        assert reply.payload["type"] == 4
        card = reply.message["embeds"][0]
        assert card["title"] == LEAST_CONTROL and "**Alexander Meulemans**" in card["description"]
        assert reply.message["allowed_mentions"] == {"parse": []}
        message_id = list(emu.messages)[-1]
        found = buttons(emu.messages[message_id])
        assert found["arXiv"]["url"] == "https://arxiv.org/abs/2207.01332"
        assert str(found["Full abstract"]["custom_id"]).startswith("w0:"), "the first process holds the view"

        await emu.use_endpoint(second.url)  # the press reaches the other process, which passes it on
        full = await emu.reply_to(await emu.click(emu.alice, message_id, str(found["Full abstract"]["custom_id"])))
        assert fields(full.message["embeds"][0])["Published"] == "4 Jul 2022 · NeurIPS 2022 · Machine Learning"
        refused = await emu.reply_to(await emu.click(emu.bob, message_id, str(found["Cite"]["custom_id"])))
        assert refused.message["content"] == "Only the person who asked can use these buttons."
        await emu.endpoint_settled()
        assert emu.violations == [] and emu.unknown_routes == []
        assert first.bot.questions_answered == 1 and second.bot.questions_answered == 0


@scenario
async def test_papers_and_their_pages_through_discord_py_on_another_process() -> None:
    async with running_endpoint(processes=2) as (emu, (first, second)):
        await emu.use_endpoint(second.url)
        reply = await emu.reply_to(await emu.slash(emu.alice, "papers"))
        assert reply.message["embeds"][0]["footer"]["text"] == "Page 1 of 3"
        message_id = list(emu.messages)[-1]
        next_page = str(buttons(emu.messages[message_id])["Next"]["custom_id"])
        assert next_page.startswith("w1:")
        await emu.use_endpoint(first.url)
        page2 = await emu.reply_to(await emu.click(emu.alice, message_id, next_page))
        assert page2.payload["type"] == 7 and page2.message["embeds"][0]["footer"]["text"] == "Page 2 of 3"
        choices = await emu.reply_to(await emu.autocomplete(emu.alice, "paper", "title", "least"))
        assert any("least-control" in c["name"].lower() for c in choices.payload["data"]["choices"])
        await emu.endpoint_settled()
        assert emu.violations == []


@scenario
async def test_every_command_works_over_http_the_picture_included() -> None:
    async with running_endpoint(processes=2) as (emu, _):
        about = await emu.reply_to(await emu.slash(emu.alice, "about"))
        assert fields(about.message["embeds"][0])["Most frequent coauthors"].startswith("João Sacramento (11)")
        help_ = await emu.reply_to(await emu.slash(emu.alice, "help"))
        assert "/ask" in str(help_.message["embeds"])
        cite = await emu.reply_to(await emu.slash(emu.alice, "cite", title="COCOA"))
        assert "@" in cite.text() and "Would I have gotten that reward?" in cite.text()
        coauthors = await emu.reply_to(await emu.slash(emu.alice, "coauthors", name="Zucchet"))
        assert "with Nicolas Zucchet" in coauthors.text()
        paper = await emu.reply_to(await emu.slash(emu.alice, "paper", title="least-control"))
        assert paper.message["embeds"][0]["title"] == LEAST_CONTROL
        stats = await emu.answer_to(await emu.slash(emu.alice, "stats"), timeout=15)
        (attachment,) = stats.message["attachments"]
        assert stats.files[attachment["filename"]].startswith(b"\x89PNG"), "the picture goes over REST, with 202"
        await emu.endpoint_settled()
        assert emu.violations == [] and emu.unknown_routes == []


@scenario
async def test_buttons_of_an_answer_given_in_the_response_are_disabled_when_they_expire() -> None:
    async with running_endpoint(processes=1, view_timeout_seconds=1.0) as (emu, _):
        await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?"))
        edit = await emu.wait_for(lambda r: r.method == "PATCH" and "@original" in r.path, timeout=5)
        states = [c.get("disabled") for row in edit.payload["components"] for c in row["components"]
                  if not c.get("url")]  # fmt: skip
        assert states and all(states), "links still open their pages; the rest is disabled"


@scenario
async def test_a_forged_interaction_is_refused() -> None:
    async with running_endpoint(processes=1) as (emu, (only,)):
        body = orjson.dumps({"type": 2, "id": "1", "token": "t", "data": {"name": "ask", "options": [
            {"name": "question", "value": "What is COCOA?"}]}})  # fmt: skip
        assert emu.endpoint is not None
        forged = await emu.endpoint.send(only.url, body, key=SigningKey.generate())
        assert forged.status == 401
        assert only.bot.questions_answered == 0


@scenario
async def test_a_reload_asked_of_one_process_reaches_every_process() -> None:
    async with running_endpoint(processes=2) as (emu, (first, second)):
        before = second.bot.engine
        reply = await emu.answer_to(await emu.slash(emu.owner, "reload"), timeout=30)
        assert "Reloaded" in reply.text(), reply.text()
        deadline = time.monotonic() + 10
        while second.bot.engine is before and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert second.bot.engine is not before, "the other process reloaded too"
        assert first.bot.engine is not before


def test_a_press_goes_to_the_process_holding_its_view_anything_else_anywhere() -> None:
    press = {"type": 3, "data": {"custom_id": "w1:abc", "component_type": 2}}
    assert owner(press, 2) == 1
    assert owner({**press, "data": {"custom_id": "w7:abc"}}, 2) is None, "a process that is no more: any"
    dm_ask = {"type": 2, "data": {"name": "ask"}, "user": {"id": "1001"}}
    assert owner(dm_ask, 2) is None, "conversations are shared: any process continues one"


@scenario
async def test_a_conversation_continues_whichever_process_the_question_reaches() -> None:
    async with running_endpoint(processes=2) as (emu, (first, second)):
        # A thread the bot opened for a question: /ask there continues the member's conversation.
        thread = Channel(snowflake(), "papers", emu.guild.id, parent=emu.general, owner_id=emu.bot.id)
        emu.guild.channels.append(thread)
        listed = await emu.reply_to(await emu.slash(emu.alice, "ask", thread, question="papers from 2023"))
        assert "2023" in listed.text()
        await emu.use_endpoint(second.url)
        follow_up = "which of those are preprints?"
        narrowed = await emu.reply_to(await emu.slash(emu.alice, "ask", thread, question=follow_up))
        assert narrowed.text().startswith("1 preprint from 2023 among those"), narrowed.text()
        assert first.bot.questions_answered == 1 and second.bot.questions_answered == 1
        await emu.endpoint_settled()
        assert emu.violations == []


@scenario
async def test_a_member_asking_again_too_soon_is_told_to_slow_down_whichever_process_it_reaches() -> None:
    async with running_endpoint(processes=2, cooldown_seconds=30.0) as (emu, (first, second)):
        answered = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?"))
        assert "Would I have gotten that reward?" in answered.text()
        await emu.use_endpoint(second.url)
        refused = await emu.reply_to(await emu.slash(emu.alice, "ask", question="credit assignment"))
        assert refused.text().startswith("Slow down: try again in"), refused.text()
        assert (first.bot.questions_answered, second.bot.questions_limited) == (1, 1)
        await emu.endpoint_settled()
        assert emu.violations == []


@scenario
async def test_bot_run_starts_the_endpoint_processes_on_one_port() -> None:
    emu = await DiscordEmulator().start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    saved = dict(os.environ)
    os.environ.update({"DISCORD_TOKEN": emu.token, "BOT_API_BASE_URL": emu.api_base_url,
                       "BOT_GATEWAY_URL": emu.gateway_url, "BOT_LOG_LEVEL": "WARNING",
                       "BOT_ENDPOINT_PUBLIC_KEY": emu.public_key, "BOT_ENDPOINT_HOST": "127.0.0.1",
                       "BOT_ENDPOINT_PORT": str(port), "BOT_ENDPOINT_WORKERS": "2"})  # fmt: skip
    processes = Processes(EndpointSettings(emu.public_key, "127.0.0.1", port, 2), ROOT / "config" / "config.yaml")
    try:
        processes.start()
        await emu.use_endpoint(f"http://127.0.0.1:{port}/interactions")
        asked = [await emu.slash(m, "ask", question="What is COCOA?") for m in (emu.alice, emu.bob, emu.owner)]
        replies = await emu.replies_to(asked, timeout=20)
        assert all(r is not None and "counterfactual" in r.text().lower() for r in replies)
        assert len(processes.pids()) == 2
    finally:
        os.environ.clear()
        os.environ.update(saved)
        await processes.stop()
        await emu.stop()
        assert not processes.sockets.exists()


def test_a_process_that_cannot_start_says_why_in_one_line(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    # The config lost its endpoint after the gateway process read it: the process stops, saying so.
    os.environ.pop("BOT_ENDPOINT_PUBLIC_KEY", None)
    with pytest.raises(SystemExit) as stopped:
        serve_process(0, 2, ROOT / "config" / "config.yaml", tmp_path)
    assert stopped.value.code == 1
    (line,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert line == ("endpoint process 1: discord.endpoint.public_key is no longer set: the endpoint's processes "
                    "cannot start")  # fmt: skip


@scenario
async def test_the_heartbeat_stops_while_an_endpoint_process_is_down(tmp_path: Path) -> None:
    beat = tmp_path / "heartbeat"
    running = [True]
    async with running_bot(heartbeat_file=beat) as (_, bot):
        bot.companions = lambda: running[0]
        beat.unlink(missing_ok=True)
        running[0] = False
        bot.beat()
        assert not beat.exists(), "no beat while a process is down: the file ages, then health fails"
        running[0] = True
        bot.beat()
        assert health(beat).healthy
