"""The bot hears of its own messages, as on Discord, and never answers itself.

Discord sends a bot MESSAGE_CREATE, MESSAGE_UPDATE and MESSAGE_DELETE for the messages it posts,
edits and deletes itself, content included, ephemeral ones excepted. tests/discord_emulator sends
them the same way, once the bot has its REST answer; the real discord.py client parses them.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import discord
import pytest

from bot.discordbot.client import PaperBot
from tests.discord_emulator.echo import DIRECT_MESSAGES, GUILD_MESSAGES
from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.payloads import CHAT_INPUT_COMMAND, EPHEMERAL
from tests.discord_emulator.server import DiscordEmulator, Request

COCOA = "Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"
MESANET = "MesaNet"
NO_PINGS: dict[str, list[str]] = {"parse": []}


def hears_itself(bot: PaperBot) -> asyncio.Future[discord.Message]:
    """The next message of the bot's own that discord.py receives on the gateway."""
    assert bot.user is not None
    me = bot.user.id
    return asyncio.ensure_future(bot.wait_for("message", check=lambda m: m.author.id == me, timeout=10))


def replies_to(request: Request, question: dict[str, Any]) -> bool:
    """Whether a request is the bot's reply to a member's message."""
    reference = (request.payload or {}).get("message_reference") if isinstance(request.payload, dict) else None
    return reference is not None and str(reference.get("message_id")) == question["id"]


def echoes_of(emu: DiscordEmulator, message_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The events the bot was sent about one of its messages, in order."""
    return [(event, data) for event, data in emu.echoed if data["id"] == message_id]


@pytest.mark.parametrize("listened", [False, True], ids=["asked-by-mention", "asked-in-a-listened-channel"])
@scenario
async def test_the_bot_hears_its_own_answer_and_does_not_answer_it(listened: bool) -> None:
    emu = await DiscordEmulator().start()
    # In a listened channel every message is a question: the bot's own too, were it not ignored.
    where, ask = (emu.quiet, "") if listened else (emu.general, f"<@{emu.bot.id}> ")
    settings: dict[str, Any] = {"listen_channels": (emu.quiet.id,), "message_content_intent": True} if listened else {}
    async with running_bot(emu=emu, **settings) as (emu, bot):
        heard = hears_itself(bot)
        start = time.monotonic()
        question = await emu.send_message(emu.alice, f"{ask}What is COCOA?", where)
        answer = await emu.channel_reply(where, start)
        own = await heard
        assert own.embeds[0].title == COCOA, "its own answer, as the channel shows it"
        assert own.reference is not None and own.reference.message_id == int(question["id"])

        # Another member's question is answered, and nothing else is.
        bobs = await emu.send_message(emu.bob, f"{ask}What is MesaNet?", where)
        second = await emu.wait_for(lambda r: replies_to(r, bobs))
        assert second.payload["embeds"][0]["title"].startswith(MESANET)
        await emu.echoes_sent()
        assert emu.channel_posts(where) == [answer, second], "one answer per member's question, none to itself"
        assert bot.questions_answered == 2
        assert [event for event, _ in emu.echoed] == ["MESSAGE_CREATE", "MESSAGE_CREATE"]


@scenario
async def test_a_dm_answer_comes_back_to_the_bot_which_leaves_it_unanswered() -> None:
    async with running_bot() as (emu, bot):
        heard = hears_itself(bot)
        await emu.send_message(emu.bob, "What is COCOA?", dm=True)
        own = await heard
        assert own.guild is None and own.embeds[0].title == COCOA
        await emu.send_message(emu.bob, "What is MesaNet?", dm=True)
        dm = emu.dm_channels[emu.bob.id]
        await emu.wait_for(lambda r: r.path == f"/channels/{dm.id}/messages" and MESANET in r.text())
        await emu.echoes_sent()
        answers = [r.text() for r in emu.channel_posts(dm)]
        assert len(answers) == 2, f"one answer per question, none to itself: {answers}"
        assert COCOA in answers[0] and MESANET in answers[1]
        assert bot.questions_answered == 2


@scenario
async def test_a_public_ask_answer_comes_back_as_message_create_and_an_ephemeral_one_does_not() -> None:
    async with running_bot() as (emu, _):
        interaction = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        reply = await emu.reply_to(interaction)
        await emu.echoes_sent()
        message_id = list(emu.messages)[-1]
        [(event, created)] = echoes_of(emu, str(message_id))
        assert event == "MESSAGE_CREATE" and reply.echoes == [(event, created)]
        assert created["embeds"] == reply.message["embeds"] and created["embeds"][0]["title"] == COCOA
        assert created["author"]["id"] == str(emu.bot.id) and created["guild_id"] == str(emu.guild.id)
        assert created["webhook_id"] == created["application_id"] == str(emu.application_id)
        assert created["type"] == CHAT_INPUT_COMMAND
        metadata = created["interaction_metadata"]
        assert metadata["id"] == str(interaction["id"]) and metadata["user"]["id"] == str(emu.alice.id)
        assert created["interaction"]["name"] == "ask"

        help_ = await emu.reply_to(await emu.slash(emu.alice, "help"))
        assert help_.message["flags"] & EPHEMERAL
        await emu.echoes_sent()
        assert help_.echoes == [] and len(emu.echoed) == 1, "an ephemeral message is the member's alone"


@scenario
async def test_a_deferred_answer_is_heard_once_when_it_arrives() -> None:
    async with running_bot(defer_after_ms=0) as (emu, bot):
        heard = hears_itself(bot)
        interaction = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        deferral = await emu.reply_to(interaction)
        assert deferral.payload["type"] == 5 and deferral.echoes == [], "the bot is not told of a 'thinking' message"
        follow = await emu.followup(interaction)
        own = await heard
        assert own.embeds[0].title == COCOA
        assert list(emu.messages) == [own.id], "the first follow-up is the deferred response itself"
        assert [event for event, _ in follow.echoes] == ["MESSAGE_CREATE"]


@scenario
async def test_a_page_turned_and_buttons_expired_come_back_as_message_update() -> None:
    async with running_bot(view_timeout_seconds=1.0) as (emu, _):
        await emu.reply_to(await emu.slash(emu.alice, "papers"))
        message_id = list(emu.messages)[-1]
        first_page = emu.messages[message_id]["embeds"]
        rows = emu.messages[message_id]["components"]
        next_page = next(c["custom_id"] for row in rows for c in row["components"] if c.get("label") == "Next")
        turned = await emu.reply_to(await emu.click(emu.alice, message_id, next_page))
        assert [event for event, _ in turned.echoes] == ["MESSAGE_UPDATE"]
        updated = turned.echoes[0][1]
        assert updated["id"] == str(message_id) and updated["edited_timestamp"] is not None
        assert updated["embeds"] == turned.message["embeds"] != first_page
        expired = await emu.wait_for(lambda r: r.method == "PATCH")
        [(event, data)] = expired.echoes
        assert event == "MESSAGE_UPDATE" and data["id"] == str(message_id)
        assert all(c.get("disabled") for row in data["components"] for c in row["components"])


async def identify(ws: aiohttp.ClientWebSocketResponse, token: str, intents: int) -> None:
    """Hello, then IDENTIFY; returns once READY and the guilds have arrived."""
    await ws.receive_json()
    properties = {"os": "linux", "browser": "test", "device": "test"}
    await ws.send_json({"op": 2, "d": {"token": token, "intents": intents, "properties": properties}})
    while (await ws.receive_json())["t"] != "GUILD_CREATE":
        pass


async def next_event(ws: aiohttp.ClientWebSocketResponse, within: float = 5.0) -> tuple[str, dict[str, Any]]:
    frame = json.loads((await ws.receive(timeout=within)).data)
    return frame["t"], frame["d"]


@scenario
async def test_own_messages_come_only_under_their_intent_and_are_dropped_without_a_connection() -> None:
    emu = await DiscordEmulator().start()
    channel = f"{emu.api_base_url}/channels/{emu.general.id}/messages"
    auth = {"Authorization": f"Bot {emu.token}"}
    body = {"content": "A note from the bot", "allowed_mentions": NO_PINGS}
    try:
        async with aiohttp.ClientSession(headers=auth) as http:
            async with http.ws_connect(emu.gateway_url) as ws:
                await identify(ws, emu.token, DIRECT_MESSAGES)  # DMs only: guild messages are not its business
                async with http.post(channel, json=body) as response:
                    assert response.status == 200
                await emu.echoes_sent()
                assert emu.echoed == [] and emu.echoes_dropped == 1

            async with http.ws_connect(emu.gateway_url) as ws:
                await identify(ws, emu.token, GUILD_MESSAGES)
                async with http.post(channel, json=body) as response:
                    sent = await response.json()
                event, created = await next_event(ws)
                assert event == "MESSAGE_CREATE" and created["id"] == sent["id"]
                assert created["content"] == "A note from the bot", "a bot's own messages keep their content"
                assert created["member"]["roles"] == [] and "user" not in created["member"]
                async with http.delete(f"{channel}/{sent['id']}") as response:
                    assert response.status == 204
                event, deleted = await next_event(ws)
                assert event == "MESSAGE_DELETE"
                assert deleted == {"id": sent["id"], "channel_id": str(emu.general.id), "guild_id": str(emu.guild.id)}

            # No gateway connection: the message is still posted; its event is dropped.
            async with http.post(channel, json=body) as response:
                assert response.status == 200
            await emu.echoes_sent()
            assert emu.echoes_dropped == 2 and len(emu.echoed) == 2
    finally:
        await emu.stop()
