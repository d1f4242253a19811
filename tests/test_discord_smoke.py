"""First contact: the real discord.py bot logs in to the emulator and answers /ask."""

from __future__ import annotations

from tests.discord_emulator.harness import running_bot, scenario


@scenario
async def test_ask_answers_with_an_embed_per_paper() -> None:
    async with running_bot() as (emu, bot):
        interaction = await emu.slash(emu.alice, "ask", question="What is the least-control principle about?")
        reply = await emu.reply_to(interaction)
        embeds = reply.message["embeds"]
        assert embeds[0]["title"] == "The least-control principle for local learning at equilibrium"
        assert emu.violations == []
