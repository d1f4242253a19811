"""A busy server: floods of hostile questions, reloads of good and broken corpora, a dropped gateway.

Used by tests/test_reliability.py (short) and `python -m benchmarks.soak` (as long as asked).
"""

from __future__ import annotations

import asyncio
import logging
import random
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.discord_emulator.harness import ROOT, running_bot
from tests.discord_emulator.payloads import Channel, Member, User, snowflake
from tests.discord_emulator.server import DiscordEmulator, Request

HOSTILE = [
    "@everyone", "@here", "<@&123456789>", "<@1>", "```python\nimport os\n```", "**bold** __u__ ~~s~~", "||spoiler||",
    "\u200b\u200c\u200d", "\u202etxet desrever\u202c", "\u0000\u0001\u0007", "🙂🔥🚀" * 20, "مرحبا بالعالم",
    "日本語の質問です", "Привет, мир", "# heading\n> quote", "[click](https://evil.example)", "\t\r\n" * 5,
    "' OR 1=1; --", "%s%s%n", "../../etc/passwd",
]  # fmt: skip
REAL = [
    "What is COCOA?", "what is the least-control principle about?", "papers with Wołczyk", "anything from 2021?",
    "his newest work", "What is his h-index?", "reinforcment learning credit", "MesaNet", "weather in Paris?",
]  # fmt: skip


@dataclass
class SoakReport:
    questions: int = 0
    slash: int = 0
    mentions: int = 0
    answered: int = 0
    limited: int = 0
    refused_too_long: int = 0
    callbacks_missing: int = 0
    reloads_ok: int = 0
    reloads_failed: int = 0
    resumes: int = 0
    errors_logged: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    half_loaded: int = 0
    seconds: float = 0.0
    peak_rss_mib: float = 0.0
    guard_tracked: int = 0

    def lines(self) -> list[str]:
        return [
            f"questions {self.questions} ({self.slash} slash, {self.mentions} mentions) in {self.seconds:.1f} s",
            f"answered {self.answered}, rate-limited {self.limited}, refused as too long {self.refused_too_long}, "
            f"interactions without a callback {self.callbacks_missing}",
            f"reloads: {self.reloads_ok} good, {self.reloads_failed} broken (kept serving); "
            f"gateway resumes {self.resumes}",
            f"errors logged {len(self.errors_logged)}, payload violations {len(self.violations)}, "
            f"half-loaded indexes seen {self.half_loaded}",
            f"peak RSS {self.peak_rss_mib:.0f} MiB; flood guard remembers {self.guard_tracked} members/channels",
        ]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.records.append(f"{record.getMessage()} {trace[-600:]}")


def hostile_question(rng: random.Random) -> str:
    parts = [rng.choice(HOSTILE + REAL) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.02:
        parts.append("credit assignment " * rng.randint(600, 6000))  # 10 to 100 KB
    return " ".join(parts)


async def soak(total: int, members: int = 50, channels: int = 5, seed: int = 1) -> SoakReport:
    """Run the soak against a bot on a copy of the shipped config and corpus; report what happened."""
    rng = random.Random(seed)
    report = SoakReport()
    workdir = Path(tempfile.mkdtemp(prefix="paperbot-soak-"))
    shutil.copytree(ROOT / "config", workdir / "config")
    shutil.copytree(ROOT / "corpus", workdir / "corpus")
    # Limits that a flood of thousands of questions a minute does hit, but not all at once. In the
    # file, not only in the bot's start-up settings, because the soak's reloads re-read it.
    config = workdir / "config" / "config.yaml"
    config.write_text(
        "discord:\n  cooldown_seconds: 0.05\n  max_question_chars: 500\n  rate_limits:\n"
        "    per_channel_per_minute: 400\n    global_per_minute: 1500\n",
        encoding="utf-8",
    )
    corpus = workdir / "corpus" / "alexander-meulemans.yaml"
    good = corpus.read_text(encoding="utf-8")
    broken = good.replace("date: 2023-06-29", "date: not-a-date", 1)
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    emu = await DiscordEmulator().start()
    while len(emu.guild.channels) < channels:
        emu.guild.channels.append(Channel(snowflake(), f"room{len(emu.guild.channels)}", emu.guild.id))
    people = [User(snowflake(), f"member{i}") for i in range(members)]
    emu.guild.members.extend(Member(p) for p in people)
    start = time.monotonic()
    try:
        async with running_bot(config=config, emu=emu, cooldown_seconds=0.05) as (emu, bot):
            pending: list[dict[str, Any]] = []
            for n in range(total):
                if n in (total // 4, total // 2, 3 * total // 4):
                    corpus.write_text(broken if n == total // 2 else good, encoding="utf-8")
                    result = await bot.reload()
                    report.reloads_ok += result.ok
                    report.reloads_failed += not result.ok
                if n == total // 3:
                    await emu.drop_connection()
                    while emu.resumes == report.resumes:
                        await asyncio.sleep(0.05)
                    report.resumes = emu.resumes
                engine = bot.live.current
                report.half_loaded += len(engine.corpus.papers) != len(engine.index.papers)
                who, where = rng.choice(people), rng.choice(emu.guild.channels)
                question = hostile_question(rng)
                if rng.random() < 0.7:
                    report.slash += 1
                    pending.append(await emu.slash(who, "ask", channel=where, question=question))
                else:
                    report.mentions += 1
                    await emu.send_message(who, f"<@{emu.bot.id}> {question}", where)
                if n % 50 == 49:
                    await asyncio.sleep(0.02)  # members type; they do not all press enter at once
            report.questions = total
            replies = await asyncio.gather(*(emu.reply_to(p, timeout=60) for p in pending), return_exceptions=True)
            report.callbacks_missing = sum(not isinstance(r, Request) for r in replies)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (
                bot.questions_answered + bot.questions_limited + bot.questions_refused < total
            ):
                await asyncio.sleep(0.1)
            report.answered = bot.questions_answered
            report.limited = bot.questions_limited
            report.refused_too_long = bot.questions_refused
            report.guard_tracked = bot.guard.tracked()
            report.violations = list(emu.violations)
    finally:
        logging.getLogger().removeHandler(errors)
        shutil.rmtree(workdir, ignore_errors=True)
    report.errors_logged = [r for r in errors.records if "reload failed" not in r]
    report.seconds = time.monotonic() - start
    report.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
