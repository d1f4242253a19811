"""Sharding, Discord's way past 2,500 servers a connection: each shard gets its own guilds' events.

The emulator speaks the shard parts of the gateway protocol (GET /gateway/bot advises a shard
count, IDENTIFY carries [shard_id, shard_count], a guild's events go to shard
(guild_id >> 22) % shard_count) and discord.py runs against it unmodified.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import discord
import pytest
import yaml

from bot.config import load_settings
from bot.errors import ConfigError
from tests.discord_emulator.gateway import INVALID_SHARD, SHARDING_REQUIRED, shard_of, shard_problem
from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.payloads import Guild
from tests.discord_emulator.server import DiscordEmulator
from tests.test_docker_files import ROOT, compose_problems

COCOA = "Would I have gotten that reward?"  # the title a member reads on the card
# discord.py identifies one shard every 5 s (Discord's pace for a small bot), then waits 2 s for guilds.
TWO_SHARDS_READY = 30.0


async def two_guilds_on_two_shards(emu: DiscordEmulator) -> tuple[Guild, Guild]:
    """The lab's guild and a second one whose events go to the other of two shards."""
    other = emu.add_guild("Physics department", shard=1 - shard_of(emu.guild.id, 2), shard_count=2)
    return emu.guild, other


async def asked_in(emu: DiscordEmulator, guild: Guild) -> str:
    """What a member of `guild` reads after asking /ask there."""
    interaction = await emu.slash(emu.alice, "ask", guild.channels[0], question="What is COCOA?")
    return (await emu.reply_to(interaction)).text()


@scenario
async def test_with_no_shard_count_the_bot_runs_the_shards_discord_advises_and_answers_on_each() -> None:
    emu = await DiscordEmulator(shards=2).start()
    guilds = await two_guilds_on_two_shards(emu)
    async with running_bot(emu=emu, ready_within=TWO_SHARDS_READY) as (emu, bot):
        assert sorted(emu.identified) == [(0, 2), (1, 2)], "READY on both shards"
        assert bot.shard_count == 2 and bot.connected()
        for guild in guilds:
            assert bot.get_guild(guild.id) is not None, "each shard's READY brought its guild"
            assert COCOA in await asked_in(emu, guild)
        assert {emu.shard_for(g.id).shard[0] for g in guilds} == {0, 1}, "one interaction came on each shard"


@scenario
async def test_two_processes_with_their_own_shard_ids_each_answer_their_own_guilds() -> None:
    """As compose's two containers: shard_count 2, shard_ids [0] in one and [1] in the other."""
    emu = await DiscordEmulator(shards=2).start()
    guilds = sorted(await two_guilds_on_two_shards(emu), key=lambda g: shard_of(g.id, 2))
    async with contextlib.AsyncExitStack() as stack:
        bots = [
            (await stack.enter_async_context(running_bot(emu=emu, shard_count=2, shard_ids=(n,))))[1]
            for n in (0, 1)
        ]
        assert sorted(emu.identified) == [(0, 2), (1, 2)]
        for n, (bot, guild) in enumerate(zip(bots, guilds, strict=True)):
            assert set(bot.shards) == {n}
            assert [g.id for g in bot.guilds] == [guild.id], "a process sees only its own shard's guilds"
            assert COCOA in await asked_in(emu, guild)


@scenario
async def test_too_few_shards_are_refused_as_discord_does_and_the_bot_stops_with_the_reason() -> None:
    emu = await DiscordEmulator(shards=2, required_shards=2).start()
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with running_bot(emu=emu, shard_count=1):
            pass
    assert closed.value.code == SHARDING_REQUIRED and emu.identified == []
    assert shard_problem([2, 2], 1) == (INVALID_SHARD, "Invalid shard."), "shard ids count from 0"


def config_with(tmp_path: Path, discord_yaml: str) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [lab.yaml]\ndiscord:\n  {discord_yaml}\n", encoding="utf-8")
    return config


def test_an_admin_gives_each_container_its_shards_in_the_environment(tmp_path: Path) -> None:
    config = config_with(tmp_path, "shard_count: 2")
    assert load_settings(config, env={}).discord.shard_ids is None, "shard_count alone: every shard here"
    settings = load_settings(config, env={"BOT_SHARD_IDS": "1"})
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (2, (1,))
    assert load_settings(config, env={"BOT_SHARD_COUNT": "4", "BOT_SHARD_IDS": "2,3"}).discord.shard_ids == (2, 3)
    unset = load_settings(config, env={"BOT_SHARD_COUNT": ""}).discord
    assert (unset.shard_count, unset.shard_ids) == (None, None), "null: discord.py asks Discord"


@pytest.mark.parametrize(
    ("yaml_text", "env", "message"),
    [
        ("shard_count: 0", {}, "discord.shard_count: expected a whole number of shards from 1 to 100,000"),
        ("shard_count: two", {}, "discord.shard_count: expected a whole number of shards"),
        ("shard_ids: [0]", {}, "discord.shard_ids: expected null unless discord.shard_count is set"),
        ("shard_count: 2", {"BOT_SHARD_IDS": "2"},
         "environment variable BOT_SHARD_IDS: discord.shard_ids: expected a non-empty list of shard ids from 0 to 1 "
         "(shard_count is 2), got 2"),
        ("shard_count: 2\n  shard_ids: [1, 1]", {}, "discord.shard_ids: expected each shard id once, got 1"),
        ("shard_count: 2\n  shard_ids: []", {}, "discord.shard_ids: expected a non-empty list of shard ids"),
    ],
)  # fmt: skip
def test_a_wrong_shard_setting_is_named_with_what_was_expected(
    tmp_path: Path, yaml_text: str, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(config_with(tmp_path, yaml_text), env=env)
    assert message in str(err.value)


def test_compose_runs_a_second_shard_in_its_own_container_under_the_same_rules() -> None:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    first, second = data["services"]["paperbot"], data["services"]["paperbot-shard-1"]
    assert second["profiles"] == ["sharded"], "one container unless the admin asks for two"
    assert second["environment"]["BOT_SHARD_IDS"] == "1" and first["environment"]["BOT_SHARD_IDS"] != "1"
    assert compose_problems(yaml.safe_dump({**data, "services": {"shard-1": second}})) == []
    shared = {v.split(":")[0] for v in first["volumes"]} & {v.split(":")[0] for v in second["volumes"]}
    assert shared == {"./config"}, "each container refreshes its own corpus and remembers its own announcements"
