"""Interaction latency through the Discord emulator: `python -m benchmarks.discord_latency`.

The bot runs as its own process (`python -m bot run`), pointed at the emulator by environment
overrides, exactly as an admin would run it. Times are taken by the emulator: from the moment
INTERACTION_CREATE is sent on the gateway to the moment the interaction callback arrives.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

from tests.discord_emulator.payloads import Member, User, snowflake
from tests.discord_emulator.server import DiscordEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench.token.value"
QUESTIONS = [
    "What is the least-control principle about?", "What is COCOA?", "what did he write with Nicolas Zucchet?",
    "anything from 2021?", "reinforcment learning credit assignment", "What is his h-index?",
    "How can selfish agents end up cooperating in social dilemmas?", "What's the weather in Paris?",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def main(sequential: int, concurrent: int) -> None:
    emu = await DiscordEmulator(token=TOKEN).start()
    members = [User(snowflake(), f"member{i}") for i in range(concurrent)]
    emu.guild.members.extend(Member(u) for u in members)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config" / "config.yaml"
        config.parent.mkdir()
        # No cooldown and generous limits: this measures answering, not flood control.
        config.write_text(
            f"corpus: [{ROOT / 'corpus' / 'alexander-meulemans.yaml'}]\nglossary: {ROOT / 'config' / 'glossary.yaml'}\n"
            "log_level: WARNING\ndiscord:\n  cooldown_seconds: 0\n  rate_limits:\n"
            "    per_channel_per_minute: 10000\n    global_per_minute: 100000\n",
            encoding="utf-8",
        )
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "BOT_CONFIG": str(config),
               "BOT_API_BASE_URL": emu.api_base_url, "BOT_GATEWAY_URL": emu.gateway_url}  # fmt: skip
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env)
        try:
            await asyncio.wait_for(emu.ready.wait(), 60)
            await asyncio.sleep(0.5)
            seq: list[float] = []
            for i in range(sequential):
                interaction = await emu.slash(emu.alice, "ask", question=QUESTIONS[i % len(QUESTIONS)])
                reply = await emu.reply_to(interaction, timeout=10)
                seq.append((reply.at - emu.dispatched_at(interaction)) * 1000)
            print(f"sequential /ask: n={len(seq)} p50={statistics.median(seq):.1f} ms "
                  f"p99={percentile(seq, 0.99):.1f} ms max={max(seq):.1f} ms")  # fmt: skip

            sent = [
                await emu.slash(m, "ask", question=QUESTIONS[i % len(QUESTIONS)]) for i, m in enumerate(members)
            ]
            replies = await asyncio.gather(*(emu.reply_to(s, timeout=30) for s in sent), return_exceptions=True)
            answered = [(s, r) for s, r in zip(sent, replies, strict=True) if not isinstance(r, BaseException)]
            times = [(r.at - emu.dispatched_at(s)) * 1000 for s, r in answered]
            within = sum(t <= 3000 for t in times)
            print(f"concurrent /ask: {within} of {len(sent)} answered within 3 s; "
                  f"p50={statistics.median(times):.1f} ms p99={percentile(times, 0.99):.1f} ms "
                  f"max={max(times):.1f} ms; violations={len(emu.violations)}")  # fmt: skip
        finally:
            proc.terminate()
            await proc.wait()
            await emu.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--concurrent", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.sequential, args.concurrent))
