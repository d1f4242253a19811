"""The running bot stays current: it refreshes from the sources, swaps the index, and tells the server once.

A lab with Christian Henning's corpus, built from his real BibTeX file kept in corpus/sources/; the
admin adds a paper to the file, and the bot finds it on its next refresh (by /refresh, or on its
schedule), announces it in the announce channel, and never again, across restarts too.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.engine import Engine
from bot.discordbot.client import PaperBot
from bot.live import LiveEngine
from tests.discord_emulator.harness import running_bot, scenario, settings_for
from tests.discord_emulator.server import DiscordEmulator
from tests.test_update import NEW_ENTRY, RECORDED

NEW_TITLE = "Plasticity rules that adapt on the fly"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    shutil.copytree(Path(__file__).resolve().parent.parent / "config", tmp_path / "config")
    (tmp_path / "corpus" / "sources").mkdir(parents=True)
    bib = tmp_path / "corpus" / "sources" / "henning.bib"
    shutil.copy(RECORDED / "bibtex" / "alfolio-christian-henning.bib", bib)
    out = tmp_path / "corpus" / "christian-henning.yaml"
    assert main(["ingest", str(bib), "--researcher", "Christian Henning", "-o", str(out)]) == 0
    return tmp_path


def configure(site: Path, emu: DiscordEmulator, **extra: str) -> Path:
    lines = [f"data_dir: {site / 'data'}", "discord:", f"  announce_channels: [{emu.quiet.id}]",
             "  max_announcements: 1", *extra.values()]  # fmt: skip
    (site / "config" / "local.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site / "config" / "config.yaml"


def announcements(emu: DiscordEmulator) -> list[str]:
    return [r.text() for r in emu.channel_posts(emu.quiet) if r.status == 200]


def add_papers(site: Path, *titles: str) -> None:
    with (site / "corpus" / "sources" / "henning.bib").open("a", encoding="utf-8") as bib:
        for i, title in enumerate(titles):
            bib.write(NEW_ENTRY.replace("henning2026plasticity", f"henning2026p{i}").replace(NEW_TITLE, title))


@scenario
async def test_a_new_paper_is_refreshed_in_answered_and_announced_once_across_restarts(site: Path) -> None:
    emu = await DiscordEmulator().start()
    config = configure(site, emu)
    async with running_bot(config=config, emu=emu, data_dir=site / "data") as (emu, bot):
        assert announcements(emu) == [], "a first start announces nothing: every paper is taken as known"
        add_papers(site, NEW_TITLE)
        done = await emu.followup(await emu.slash(emu.owner, "refresh"), timeout=15)
        assert f"new: {NEW_TITLE} (2026)" in done.payload["content"]
        await emu.wait_for(lambda r: r.path == f"/channels/{emu.quiet.id}/messages", timeout=5)
        (card,) = announcements(emu)
        assert card.startswith("New paper by Christian Henning:") and NEW_TITLE in card
        answer = await emu.reply_to(await emu.slash(emu.alice, "ask", question="plasticity rules that adapt"))
        assert answer.message["embeds"][0]["title"] == NEW_TITLE
        refused = await emu.reply_to(await emu.slash(emu.alice, "refresh"))
        assert "Manage Server" in refused.message["content"]

    emu = await DiscordEmulator().start()
    configure(site, emu)
    async with running_bot(config=config, emu=emu, data_dir=site / "data") as (emu, bot):
        await emu.followup(await emu.slash(emu.owner, "refresh"), timeout=15)
        await bot.announce()
        await asyncio.sleep(0.2)
        assert announcements(emu) == [], "nothing is announced twice, also after a restart"


@scenario
async def test_a_refresh_asked_over_http_is_announced_once_by_the_gateway_process(site: Path, tmp_path: Path) -> None:
    emu = await DiscordEmulator().start()
    config = configure(site, emu)
    async with running_bot(config=config, emu=emu, data_dir=site / "data", shared=tmp_path) as (emu, _):
        settings = settings_for(emu, config, site / "data")
        endpoint = PaperBot(LiveEngine(settings, Engine.from_settings(settings), config), tag="w0:", gateway=False,
                            shared=tmp_path)  # fmt: skip
        await endpoint.login(emu.token)
        try:
            add_papers(site, NEW_TITLE)
            assert (await endpoint.refresh()).reload is not None
            await emu.wait_for(lambda r: r.path == f"/channels/{emu.quiet.id}/messages", timeout=10)
            await asyncio.sleep(0.3)
            (card,) = announcements(emu)
            assert NEW_TITLE in card, "announced once, by the process that has the gateway"
        finally:
            await endpoint.close()


@scenario
async def test_the_scheduled_refresh_swaps_the_index_and_caps_the_cards(site: Path) -> None:
    emu = await DiscordEmulator().start()
    config = configure(site, emu)
    async with running_bot(config=config, emu=emu, data_dir=site / "data", refresh_hours=0.0003) as (emu, bot):
        add_papers(site, NEW_TITLE, "Second new paper on synapses", "Third new paper on dendrites")
        for _ in range(100):
            if len(announcements(emu)) >= 2:
                break
            await asyncio.sleep(0.1)
        cards = announcements(emu)
        assert len(cards) == 2, "max_announcements cards, then one line"
        assert cards[1] == "… and 2 more new papers: see `/papers`."
        assert len(bot.engine.corpus.papers) == 13 + 3, "the new index was swapped in whole"
        answer = await emu.reply_to(await emu.slash(emu.bob, "ask", question="new paper on dendrites"))
        assert answer.message["embeds"][0]["title"] == "Third new paper on dendrites"
