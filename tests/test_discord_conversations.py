"""Members follow up on Discord: by replying to the bot, in the thread of their question, in a DM.

The real discord.py client runs against tests/discord_emulator. Each member's conversation is
their own: another member's follow-up in the same place gets "which paper do you mean?", never
the first member's papers.
"""

from __future__ import annotations

import time
from typing import Any

from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.payloads import Channel
from tests.discord_emulator.server import DiscordEmulator, Request

COCOA = "Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"
COCOA_CODE = "https://github.com/seijin-kobayashi/cocoa"
MESA = "Uncovering mesa-optimization algorithms in Transformers"
LEAST_CONTROL = "The least-control principle for local learning at equilibrium"


def fields(reply: Request) -> dict[str, str]:
    return {f["name"]: f["value"] for e in reply.message.get("embeds") or [] for f in e.get("fields") or []}


def titles(reply: Request) -> list[str]:
    return [e["title"] for e in reply.message.get("embeds") or []]


def last_bot_message(emu: DiscordEmulator, channel: Channel) -> dict[str, Any]:
    return [m for m in emu.messages.values() if m["channel_id"] == str(channel.id)][-1]


async def ask(emu: DiscordEmulator, member: Any, text: str, channel: Channel, **how: Any) -> Request:
    """A member posts; the bot's next post in that channel."""
    start = time.monotonic()
    await emu.send_message(member, text, channel, **how)
    return await emu.channel_reply(channel, start)


@scenario
async def test_a_reply_to_the_bot_continues_the_members_conversation_and_only_theirs() -> None:
    async with running_bot() as (emu, _):
        named = await ask(emu, emu.alice, f"<@{emu.bot.id}> What is COCOA?", emu.general)
        assert titles(named) == [COCOA]
        answer = last_bot_message(emu, emu.general)
        code = await ask(emu, emu.alice, "does it have code?", emu.general, reply_to=answer)
        assert titles(code) == [COCOA] and fields(code) == {"Code": COCOA_CODE}, "COCOA's code link, and only that"
        follow_up = last_bot_message(emu, emu.general)
        assert follow_up["id"] != answer["id"]
        others = await ask(emu, emu.alice, "who else wrote it?", emu.general, reply_to=follow_up)
        assert fields(others) == {"Other authors": "Simon Schug, Seijin Kobayashi, Nathaniel D. Daw, Gregory Wayne"}

        bobs = await ask(emu, emu.bob, "who else wrote it?", emu.general, reply_to=answer)
        assert bobs.message["content"].startswith("Which paper do you mean?"), "Bob has no paper in view yet"
        assert "Simon Schug" not in bobs.text()
        assert emu.violations == [] and emu.unknown_routes == []


@scenario
async def test_a_question_in_a_listen_channel_gets_a_thread_where_follow_ups_go_on() -> None:
    emu = await DiscordEmulator().start()
    listen = {"listen_channels": (emu.quiet.id,), "message_content_intent": True, "answer_in_threads": True}
    async with running_bot(emu=emu, **listen) as (emu, _):
        start = time.monotonic()
        question = await emu.send_message(emu.alice, "what did he write with Nicolas Zucchet?", emu.quiet)
        opened = await emu.wait_for(lambda r: r.path.endswith(f"/messages/{question['id']}/threads"))
        assert opened.status == 201 and opened.payload["name"] == "what did he write with Nicolas Zucchet?"
        thread = emu.threads[int(question["id"])]
        listed = await emu.channel_reply(thread, start)
        assert titles(listed) == [MESA, LEAST_CONTROL]
        assert emu.channel_posts(emu.quiet) == [], "the channel is not flooded: the answer is in the thread"

        narrowed = await ask(emu, emu.alice, "which of those are from 2023?", thread)
        assert titles(narrowed) == [MESA], "the 2023 paper with Zucchet, not every 2023 paper"
        bobs = await ask(emu, emu.bob, "which of those are from 2023?", thread)
        assert bobs.message["content"].startswith("Which paper do you mean?") and MESA not in bobs.text()

        cited = await emu.reply_to(await emu.slash(emu.alice, "ask", channel=thread, question="who else wrote it?"))
        others = fields(cited)["Other authors"]
        assert others.startswith("Johannes von Oswald, Maximilian Schlegel, Seijin Kobayashi, Eyvind Niklasson")
        assert "Alexander Meulemans" not in others, "/ask in the thread continues Alice's conversation"
        assert emu.violations == [] and emu.unknown_routes == []


@scenario
async def test_a_dm_is_one_conversation() -> None:
    async with running_bot() as (emu, _):
        await emu.send_message(emu.bob, "What is COCOA?", dm=True)
        dm = emu.dm_channels[emu.bob.id]
        await emu.wait_for(lambda r: r.path == f"/channels/{dm.id}/messages")
        code = await ask(emu, emu.bob, "does it have code?", dm, dm=True)
        assert fields(code) == {"Code": COCOA_CODE}
        cite = await ask(emu, emu.bob, "cite it", dm, dm=True)
        assert cite.message["content"].startswith("BibTeX for **Would I have gotten that reward?")
        assert "@inproceedings{meulemans2023would," in cite.message["content"]
        alices = await emu.reply_to(await emu.slash(emu.alice, "ask", question="does it have code?"))
        assert alices.message["content"].startswith("Which paper do you mean?"), "Bob's DM is not Alice's"
        assert emu.violations == []
