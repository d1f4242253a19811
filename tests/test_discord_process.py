"""An admin starts the bot: `python -m bot run` and `sync` as processes, against the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.discord_emulator.harness import scenario
from tests.discord_emulator.server import DiscordEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


def environment(emu: DiscordEmulator | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DISCORD_"))}
    if emu is not None:
        env.update(BOT_API_BASE_URL=emu.api_base_url, BOT_GATEWAY_URL=emu.gateway_url)
    env.update(extra)
    return env


async def start(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def finish(proc: asyncio.subprocess.Process, timeout: float = 30) -> tuple[int, str, str]:
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@scenario
async def test_without_a_token_run_says_where_to_put_it_in_one_line() -> None:
    code, _, err = await finish(await start("run", env=environment(None)))
    assert code == 2
    assert err.strip().splitlines() == [
        "error: no Discord token: set DISCORD_TOKEN to the bot token from the Discord developer portal, "
        "or DISCORD_TOKEN_FILE to a file that holds it"
    ]


@scenario
async def test_a_rejected_token_is_one_line_and_never_printed() -> None:
    emu = await DiscordEmulator(token="the-right-one").start()
    try:
        code, out, err = await finish(await start("run", env=environment(emu, DISCORD_TOKEN=TOKEN)))
    finally:
        await emu.stop()
    assert code == 2
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: Discord rejected the token: set DISCORD_TOKEN to the bot token from the Discord developer portal, "
        "or DISCORD_TOKEN_FILE to a file that holds it (a current bot token)"
    ]
    assert TOKEN not in out + err and TOKEN.split(".")[0] not in out + err


@scenario
async def test_sigterm_closes_the_connection_cleanly(tmp_path: Path) -> None:
    emu = await DiscordEmulator(token=TOKEN).start()
    secret = tmp_path / "discord_token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    try:
        proc = await start("run", env=environment(emu, DISCORD_TOKEN_FILE=str(secret)))
        await asyncio.wait_for(emu.ready.wait(), 30)
        interaction = await emu.slash(emu.alice, "ask", question="What is COCOA?")
        await emu.reply_to(interaction, timeout=10)
        proc.send_signal(signal.SIGTERM)
        code, out, err = await finish(proc)
    finally:
        await emu.stop()
    assert code == 0, err
    assert "Traceback" not in err
    assert "SIGTERM received" in err and "stopped cleanly" in err
    assert "question user=" in err and "intent=paper top=would-i-have-gotten" in err
    assert TOKEN not in out + err


@scenario
async def test_sync_registers_the_commands_in_a_guild_on_request() -> None:
    emu = await DiscordEmulator(token=TOKEN).start()
    try:
        code, out, err = await finish(await start("sync", "--guild", str(emu.guild.id),
                                                  env=environment(emu, DISCORD_TOKEN=TOKEN)))  # fmt: skip
    finally:
        await emu.stop()
    assert code == 0, err
    assert out.strip() == f"synced 10 slash commands to guild {emu.guild.id}"
    assert len(emu.synced[str(emu.guild.id)]) == 10 and "global" not in emu.synced


async def _wait_for_line(stream: asyncio.StreamReader, needle: str, seen: list[str], timeout: float = 30) -> str:
    async def read() -> str:
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise EOFError(f"the bot exited before logging {needle!r}: {seen[-5:]}")
            seen.append(line)
            if needle in line:
                return line

    return await asyncio.wait_for(read(), timeout)


@scenario
async def test_sighup_reloads_and_a_broken_corpus_keeps_the_bot_answering(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    corpus = tmp_path / "corpus" / "alexander-meulemans.yaml"
    good = corpus.read_text(encoding="utf-8")
    emu = await DiscordEmulator(token=TOKEN).start()
    seen: list[str] = []
    try:
        env = environment(emu, DISCORD_TOKEN=TOKEN, BOT_CONFIG=str(tmp_path / "config" / "config.yaml"))
        proc = await start("run", env=env)
        assert proc.stderr is not None
        await asyncio.wait_for(emu.ready.wait(), 30)
        corpus.write_text(good.replace("date: 2023-06-29", "date: 2023-13-45", 1), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        failed = await _wait_for_line(proc.stderr, "reload failed", seen)
        assert "alexander-meulemans.yaml" in failed and "date" in failed and "Would I have gotten" in failed
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="What is COCOA?"), timeout=10)
        assert reply.message["embeds"][0]["url"] == "https://arxiv.org/abs/2306.16803"
        corpus.write_text(good, encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        await _wait_for_line(proc.stderr, "reloaded: 15 papers", seen)
        proc.send_signal(signal.SIGTERM)
        code, _, err = await finish(proc)
    finally:
        await emu.stop()
    assert code == 0
    assert "Traceback" not in "".join(seen) + err
