"""Interaction latency through the Discord emulator: `python -m benchmarks.discord_latency`.

The bot runs as its own process (`python -m bot run`), pointed at the emulator by environment
overrides, exactly as an admin would run it, with the flood guard at its defaults. Times are
taken by the emulator: from the moment INTERACTION_CREATE is sent on the gateway (or the
interaction's POST starts, with an endpoint) to the moment the interaction callback arrives.

First `--sequential` questions one at a time, then `--bursts` bursts of `--members` simultaneous
/ask, each from its own members in its own channel (as when a talk ends and a room asks at
once). The gateway heartbeats every `--heartbeat-ms` during the bursts: the largest gap between
two heartbeats shows whether answering ever held up the connection.

With `--floor`, the same bursts first go to `benchmarks/floor_bot.py`: a discord.py bot that only
answers a line of text (what discord.py and aiohttp alone cost on this machine), then the same bot
sending paperbot's cards and buttons for answers it computed once (what the cards cost through
discord.py, without the engine). Measured in the same run, paperbot's figures read as ratios to them.

With `--endpoint-workers 1,2`, the same questions and bursts then go to paperbot's HTTP interactions
endpoint, once for each number of worker processes: the emulator saves its URL as the developer
portal would and POSTs every interaction to it, signed; the bot's CPU is its whole process tree's.
With `--floor` too, three floors go first, each through the same number of processes
(`benchmarks/floor_endpoint.py`): a line of text, paperbot's replies kept as bytes, and the engine
answering each question before those bytes are sent. `--endpoint-only` skips the gateway bots.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import signal
import socket
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
    """User and system CPU time a process has used so far (Linux /proc; 0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants now alive (Linux /proc: each thread's children)."""
    tree, i = [pid], 0
    while i < len(tree):
        for children in Path(f"/proc/{tree[i]}/task").glob("*/children"):
            with contextlib.suppress(FileNotFoundError):
                tree += [int(c) for c in children.read_text().split()]
        i += 1
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its descendants (the endpoint's workers)."""
    return sum(cpu_seconds(p) for p in process_tree(pid))


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listened on a moment ago."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


async def listening(port: int, host: str = "127.0.0.1") -> None:
    """Return once something accepts connections on the port."""
    while True:
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return


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


async def main(
    sequential: int, members: int, bursts: int, heartbeat_ms: int, corpus: Path, floor: bool,
    endpoint_workers: list[int], endpoint_only: bool = False,
) -> None:  # fmt: skip
    floor_bot = [sys.executable, "-m", "benchmarks.floor_bot"]
    paperbot = [sys.executable, "-m", "bot", "run"]
    runs: list[tuple[str, list[str], int | None]] = []
    if floor and not endpoint_only:
        runs += [("floor (discord.py alone)", floor_bot, None), ("cards (no engine)", [*floor_bot, "--cards"], None)]
    if not endpoint_only:
        runs.append(("paperbot", paperbot, None))
    floor_endpoint = [sys.executable, "-m", "benchmarks.floor_endpoint"]
    for n in endpoint_workers:
        processes = f"{n} worker{'s' * (n != 1)}"
        if floor:
            runs.append((f"floor: HTTP endpoint, a line of text, {processes}", floor_endpoint, n))
            runs.append((f"floor: HTTP endpoint, paperbot's replies kept as bytes, {processes}",
                         [*floor_endpoint, "--cards"], n))  # fmt: skip
            runs.append((f"floor: HTTP endpoint, the engine, then paperbot's replies kept as bytes, {processes}",
                         [*floor_endpoint, "--cards", "--engine"], n))  # fmt: skip
        runs.append((f"paperbot, HTTP endpoint, {processes}", paperbot, n))
    results = {}
    for label, command, workers in runs:
        print(f"== {label}")
        results[label] = await measure(command, sequential, members, bursts, heartbeat_ms, corpus, workers)
    if floor:
        base_p99, base_cpu = results[runs[0][0]]
        for label, (p99, cpu) in list(results.items())[1:]:
            print(f"{label} / {runs[0][0]}: median burst p99 {p99 / base_p99:.2f}x, median bot CPU per burst "
                  f"{cpu / base_cpu:.2f}x")  # fmt: skip


async def measure(
    command: list[str], sequential: int, members: int, bursts: int, heartbeat_ms: int, corpus: Path,
    endpoint_workers: int | None = None,
) -> tuple[float, float]:
    """Run one bot through the questions and bursts (over its HTTP endpoint with that many workers,
    if `endpoint_workers` is given); the median of the bursts' p99 (ms) and of the bot's CPU per
    burst (ms)."""  # fmt: skip
    emu = await DiscordEmulator(token=TOKEN, heartbeat_ms=heartbeat_ms).start()
    # One burst more than counted, first: it opens the connections (Discord keeps its own open) and
    # fills the caches, as the first minutes of a bot's life do.
    crowds = [[User(snowflake(), f"member{b}-{i}") for i in range(members)] for b in range(bursts + 1)]
    channels = [Channel(snowflake(), f"talk-{b}", emu.guild.id) for b in range(bursts + 1)]
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
        if endpoint_workers is not None:
            port = free_port()
            env.update({"BOT_ENDPOINT_PUBLIC_KEY": emu.public_key, "BOT_ENDPOINT_HOST": "127.0.0.1",
                        "BOT_ENDPOINT_PORT": str(port), "BOT_ENDPOINT_WORKERS": str(endpoint_workers)})  # fmt: skip
        proc = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
        tree: list[int] = []
        try:
            if "benchmarks.floor_endpoint" not in command:  # the only one without a gateway connection
                await asyncio.wait_for(emu.ready.wait(), 120)
            else:
                await asyncio.wait_for(listening(port), 120)
            if endpoint_workers is not None:
                await emu.use_endpoint(f"http://127.0.0.1:{port}/interactions")
            await asyncio.sleep(0.5)
            tree = process_tree(proc.pid)
            seq: list[float] = []
            askers = [User(snowflake(), f"asker{i}") for i in range(sequential)]  # one question each: no cooldown
            emu.guild.members.extend(Member(u) for u in askers)
            for i, asker in enumerate(askers):
                interaction = await emu.slash(asker, "ask", emu.quiet, question=QUESTIONS[i % len(QUESTIONS)])
                reply = await emu.reply_to(interaction, timeout=10)
                seq.append((reply.at - emu.dispatched_at(interaction)) * 1000)
            print(f"sequential /ask: n={len(seq)}: {figures(seq)}")

            p99s, cpus = [], []
            warm_up, _, _ = await burst(emu, crowds[0], channels[0])
            print(f"warm-up burst (not counted): {figures(warm_up)}")
            for crowd, channel in zip(crowds[1:], channels[1:], strict=True):
                await asyncio.sleep(2 * heartbeat_ms / 1000)  # a heartbeat or two between bursts
                beats_before = len(emu.heartbeats())
                cpu, main_cpu, emulator_cpu = tree_cpu_seconds(proc.pid), cpu_seconds(proc.pid), time.process_time()
                times, refused, missing = await burst(emu, crowd, channel)
                cpu, main_cpu = tree_cpu_seconds(proc.pid) - cpu, cpu_seconds(proc.pid) - main_cpu
                emulator_cpu = time.process_time() - emulator_cpu
                # With an endpoint, the gateway process' share: parsing Discord's echo of every reply.
                split = f", {main_cpu * 1000:.0f} ms of it the gateway process'" if endpoint_workers else ""
                await asyncio.sleep(2 * heartbeat_ms / 1000)
                beats = emu.heartbeats()[max(0, beats_before - 1) :]
                gap = max((b - a for a, b in itertools.pairwise(beats)), default=0.0) * 1000
                p99s.append(percentile(times, 0.99))
                cpus.append(cpu * 1000)
                print(f"burst of {len(crowd)} /ask in one channel: {len(times) - refused} answered, {refused} told "
                      f"to slow down, {missing} without a callback; {figures(times)}; "
                      f"bot CPU {cpu * 1000:.0f} ms{split} "
                      f"(emulator {emulator_cpu * 1000:.0f} ms); "
                      f"largest heartbeat gap {gap:.0f} ms (interval {heartbeat_ms} ms); "
                      f"violations {len(emu.violations)}")  # fmt: skip
            print(f"bursts: median of the {len(p99s)} bursts' p99 {statistics.median(p99s):.1f} ms, "
                  f"median bot CPU per burst {statistics.median(cpus):.0f} ms")  # fmt: skip
            return statistics.median(p99s), statistics.median(cpus)
        finally:
            proc.terminate()
            await proc.wait()
            for pid in tree[1:]:  # workers the bot failed to stop with it
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            await emu.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--members", type=int, default=200, help="members asking at once in each burst")
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--heartbeat-ms", type=int, default=250)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "alexander-meulemans.yaml")
    parser.add_argument("--floor", action="store_true", help="run the same bursts against discord.py alone first")
    parser.add_argument("--endpoint-workers", type=lambda s: [int(n) for n in s.split(",")], action="extend",
                        default=[], metavar="N[,N...]",
                        help="then against paperbot's HTTP interactions endpoint with N worker processes")  # fmt: skip
    parser.add_argument("--endpoint-only", action="store_true", help="skip the bots on the gateway")
    args = parser.parse_args()
    asyncio.run(main(args.sequential, args.members, args.bursts, args.heartbeat_ms, args.corpus, args.floor,
                     args.endpoint_workers, args.endpoint_only))  # fmt: skip
