"""Interaction latency through the Discord emulator: `python -m benchmarks.discord_latency`.

The bot runs as its own process (`python -m bot run`), pointed at the emulator by environment
overrides, exactly as an admin would run it, with the flood guard at its defaults. Times are
taken by the emulator: from the moment INTERACTION_CREATE is sent on the gateway to the moment
the interaction callback arrives.

First `--sequential` questions one at a time, then `--bursts` bursts of `--members` simultaneous
/ask, each from its own members in its own channel (as when a talk ends and a room asks at
once). The gateway heartbeats every `--heartbeat-ms` during the bursts: the largest gap between
two heartbeats shows whether answering ever held up the connection.

With `--floor`, the same bursts first go to `benchmarks/floor_bot.py`: a discord.py bot that only
answers a line of text (what discord.py and aiohttp alone cost on this machine), then the same bot
sending paperbot's cards and buttons for answers it computed once (what the cards cost through
discord.py, without the engine). Measured in the same run, paperbot's figures read as ratios to them.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.discord_emulator.payloads import Channel, Member, User, snowflake
from tests.discord_emulator.server import DiscordEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench.token.value"
QUESTIONS = [
    "What is the least-control principle about?", "What is COCOA?", "what did he write with Nicolas Zucchet?",
    "anything from 2021?", "reinforcment learning credit assignment", "What is his h-index?",
    "How can selfish agents end up cooperating in social dilemmas?", "What's the weather in Paris?",
    "papers at NeurIPS", "his newest work", "meta-learning without backpropagation", "MesaNet",
    "Which papers are with João Sacramento?", "What is his first paper?", "biologically plausible learning rules",
    "Who are his most frequent coauthors?", "sequence models that learn in context", "papers from 2023",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def figures(times: list[float]) -> str:
    return (f"p50 {statistics.median(times):.1f} ms, p90 {percentile(times, 0.9):.1f} ms, "
            f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms")  # fmt: skip


async def burst(emu: DiscordEmulator, members: list[User], channel: Channel) -> tuple[list[float], int, int]:
    """Every member asks at once; returns the callback times (ms) of the answers, how many were
    refused by the flood guard, and how many got no callback within Discord's 3 s."""
    sent = [await emu.slash(m, "ask", channel, question=QUESTIONS[i % len(QUESTIONS)]) for i, m in enumerate(members)]
    replies = await emu.replies_to(sent, timeout=10)
    times, refused, missing = [], 0, 0
    for s, r in zip(sent, replies, strict=True):
        if r is None:
            missing += 1
            continue
        if r.text().startswith("Slow down"):
            refused += 1
        times.append((r.at - emu.dispatched_at(s)) * 1000)
    return times, refused, missing


async def main(sequential: int, members: int, bursts: int, heartbeat_ms: int, corpus: Path, floor: bool) -> None:
    floor_bot = [sys.executable, "-m", "benchmarks.floor_bot"]
    runs = [("floor (discord.py alone)", floor_bot), ("cards (no engine)", [*floor_bot, "--cards"])] if floor else []
    runs.append(("paperbot", [sys.executable, "-m", "bot", "run"]))
    results = {}
    for label, command in runs:
        print(f"== {label}")
        results[label] = await measure(command, sequential, members, bursts, heartbeat_ms, corpus)
    if floor:
        base_p99, base_cpu = results[runs[0][0]]
        for label, (p99, cpu) in list(results.items())[1:]:
            print(f"{label} / floor: median burst p99 {p99 / base_p99:.2f}x, median bot CPU per burst "
                  f"{cpu / base_cpu:.2f}x")  # fmt: skip


async def measure(
    command: list[str], sequential: int, members: int, bursts: int, heartbeat_ms: int, corpus: Path
) -> tuple[float, float]:
    """Run one bot through the questions and bursts; the median of the bursts' p99 (ms) and of the
    bot's CPU per burst (ms)."""
    emu = await DiscordEmulator(token=TOKEN, heartbeat_ms=heartbeat_ms).start()
    crowds = [[User(snowflake(), f"member{b}-{i}") for i in range(members)] for b in range(bursts)]
    channels = [Channel(snowflake(), f"talk-{b}", emu.guild.id) for b in range(bursts)]
    emu.guild.channels.extend(channels)
    emu.guild.members.extend(Member(u) for crowd in crowds for u in crowd)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config" / "config.yaml"
        config.parent.mkdir()
        # The flood guard's defaults: what a busy server gets out of the box.
        config.write_text(f"corpus: [{corpus}]\nglossary: {ROOT / 'config' / 'glossary.yaml'}\nlog_level: WARNING\n",
                          encoding="utf-8")  # fmt: skip
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "BOT_CONFIG": str(config),
               "BOT_API_BASE_URL": emu.api_base_url, "BOT_GATEWAY_URL": emu.gateway_url}  # fmt: skip
        proc = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
        try:
            await asyncio.wait_for(emu.ready.wait(), 120)
            await asyncio.sleep(0.5)
            seq: list[float] = []
            askers = [User(snowflake(), f"asker{i}") for i in range(sequential)]  # one question each: no cooldown
            emu.guild.members.extend(Member(u) for u in askers)
            for i, asker in enumerate(askers):
                interaction = await emu.slash(asker, "ask", emu.quiet, question=QUESTIONS[i % len(QUESTIONS)])
                reply = await emu.reply_to(interaction, timeout=10)
                seq.append((reply.at - emu.dispatched_at(interaction)) * 1000)
            print(f"sequential /ask: n={len(seq)}: {figures(seq)}")

            p99s, cpus = [], []
            for crowd, channel in zip(crowds, channels, strict=True):
                await asyncio.sleep(2 * heartbeat_ms / 1000)  # a heartbeat or two between bursts
                beats_before = len(emu.heartbeats())
                cpu, emulator_cpu = cpu_seconds(proc.pid), time.process_time()
                times, refused, missing = await burst(emu, crowd, channel)
                cpu, emulator_cpu = cpu_seconds(proc.pid) - cpu, time.process_time() - emulator_cpu
                await asyncio.sleep(2 * heartbeat_ms / 1000)
                beats = emu.heartbeats()[max(0, beats_before - 1) :]
                gap = max((b - a for a, b in itertools.pairwise(beats)), default=0.0) * 1000
                p99s.append(percentile(times, 0.99))
                cpus.append(cpu * 1000)
                print(f"burst of {len(crowd)} /ask in one channel: {len(times) - refused} answered, {refused} told "
                      f"to slow down, {missing} without a callback; {figures(times)}; bot CPU {cpu * 1000:.0f} ms "
                      f"(emulator {emulator_cpu * 1000:.0f} ms); "
                      f"largest heartbeat gap {gap:.0f} ms (interval {heartbeat_ms} ms); "
                      f"violations {len(emu.violations)}")  # fmt: skip
            print(f"bursts: median of the {len(p99s)} bursts' p99 {statistics.median(p99s):.1f} ms, "
                  f"median bot CPU per burst {statistics.median(cpus):.0f} ms")  # fmt: skip
            return statistics.median(p99s), statistics.median(cpus)
        finally:
            proc.terminate()
            await proc.wait()
            await emu.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--members", type=int, default=200, help="members asking at once in each burst")
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--heartbeat-ms", type=int, default=250)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "alexander-meulemans.yaml")
    parser.add_argument("--floor", action="store_true", help="run the same bursts against discord.py alone first")
    args = parser.parse_args()
    asyncio.run(main(args.sequential, args.members, args.bursts, args.heartbeat_ms, args.corpus, args.floor))
