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


COCOA_URL = "https://arxiv.org/abs/2306.16803"
COCOA_NEW_TITLE = "COCOA, or counterfactual contribution analysis for long-term credit assignment"


@dataclass
class SoakReport:
    """What Discord received, counted on the emulator's side: a reply counts only once it arrived."""

    questions: int = 0
    slash: int = 0
    mentions: int = 0
    answered: int = 0  # replies with an answer that Discord received
    limited: int = 0  # refused by the flood guard (the bot's count)
    notices: int = 0  # "Slow down" replies that Discord received
    refused_too_long: int = 0  # "That question is N characters long" replies that Discord received
    mentions_unanswered: int = 0  # mentions neither answered nor refused nor rate-limited: lost
    callbacks_missing: int = 0
    reloads_ok: int = 0
    reloads_failed: int = 0
    resumes: int = 0
    errors_logged: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    probes: dict[str, int] = field(default_factory=dict)  # COCOA title seen in a probe's answer -> times
    half_loaded: int = 0  # probe answers whose card is not COCOA: an index out of step with its corpus
    seconds: float = 0.0
    peak_rss_mib: float = 0.0
    guard_tracked: int = 0

    def lines(self) -> list[str]:
        return [
            f"questions {self.questions} ({self.slash} slash, {self.mentions} mentions) in {self.seconds:.1f} s",
            f"received by Discord: {self.answered} answers, {self.notices} slow-down notices, "
            f"{self.refused_too_long} too-long refusals; rate-limited {self.limited} (mentions told once per window)",
            f"interactions without a callback {self.callbacks_missing}, mentions lost {self.mentions_unanswered}",
            f"reloads: {self.reloads_ok} good, {self.reloads_failed} broken (kept serving); "
            f"gateway resumes {self.resumes}",
            f"errors logged {len(self.errors_logged)}, payload violations {len(self.violations)}, "
            f"probe answers by version {self.probes}, half-loaded {self.half_loaded}",
            f"peak RSS {self.peak_rss_mib:.0f} MiB; flood guard remembers {self.guard_tracked} members/channels",
        ]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.records.append(f"{record.getMessage()} {trace[-600:]}")


def other_version(good: str) -> str:
    """The corpus with COCOA retitled and its newest paper dropped: a reload that changes what is served."""
    old = "title: Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"
    head, _, rest = good.partition("\n  # facts:")
    _, _, after_first = rest.partition("\n\n  # facts:")
    return head + "\n  # facts:" + after_first.replace(old, f"title: {COCOA_NEW_TITLE}")


def kind_of(reply: Request) -> str:
    """What a reply is, as the member reads it: an answer, a slow-down notice or a too-long refusal."""
    text = reply.text()
    if text.startswith("Slow down"):
        return "notice"
    if text.startswith("That question is") and "characters long" in text:
        return "too long"
    return "answer"


def hostile_question(rng: random.Random) -> str:
    parts = [rng.choice(HOSTILE + REAL) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.02:
        parts.append("credit assignment " * rng.randint(600, 6000))  # 10 to 100 KB
    return " ".join(parts)


async def _replies(emu: DiscordEmulator, interactions: list[dict[str, Any]]) -> list[Request | BaseException]:
    return await asyncio.gather(*(emu.answer_to(i, timeout=60) for i in interactions), return_exceptions=True)


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
    changed = other_version(good)
    broken = good.replace("date: 2023-06-29", "date: not-a-date", 1)
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    emu = await DiscordEmulator().start()
    while len(emu.guild.channels) < channels:
        emu.guild.channels.append(Channel(snowflake(), f"room{len(emu.guild.channels)}", emu.guild.id))
    people = [User(snowflake(), f"member{i}") for i in range(members)]
    prober = User(snowflake(), "prober")
    emu.guild.members.extend(Member(p) for p in [*people, prober])
    start = time.monotonic()
    try:
        async with running_bot(config=config, emu=emu, cooldown_seconds=0.05) as (emu, bot):
            pending: list[dict[str, Any]] = []
            probes: list[dict[str, Any]] = []
            mentions: list[dict[str, Any]] = []
            for n in range(total):
                if n in (total // 4, total // 2, 3 * total // 4):
                    # A changed corpus, then a broken one (kept out), then the original again.
                    text = {total // 4: changed, total // 2: broken}.get(n, good)
                    corpus.write_text(text, encoding="utf-8")
                    result = await bot.reload()
                    report.reloads_ok += result.ok
                    report.reloads_failed += not result.ok
                if n == total // 3:
                    await emu.drop_connection()
                    while emu.resumes == report.resumes:
                        await asyncio.sleep(0.05)
                    report.resumes = emu.resumes
                who, where = rng.choice(people), rng.choice(emu.guild.channels)
                question = hostile_question(rng)
                if rng.random() < 0.7:
                    report.slash += 1
                    pending.append(await emu.slash(who, "ask", channel=where, question=question))
                else:
                    report.mentions += 1
                    mentions.append(await emu.send_message(who, f"<@{emu.bot.id}> {question}", where))
                if n % 50 == 49:
                    probes.append(await emu.slash(prober, "ask", channel=emu.quiet, question="What is COCOA?"))
                    await asyncio.sleep(0.02)  # members type; they do not all press enter at once
            report.questions = total
            replies = await asyncio.gather(*(emu.answer_to(p, timeout=60) for p in pending), return_exceptions=True)
            report.callbacks_missing = sum(not isinstance(r, Request) for r in replies)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (
                bot.questions_answered + bot.questions_limited + bot.questions_refused < total + len(probes)
            ):
                await asyncio.sleep(0.1)
            # The bot has decided on every question; replies it sent may still be on their way. Wait
            # until none has arrived for 1.5 s (a minute at most): one still in flight is late, not lost.
            by_reference: dict[int, Request] = {}
            while time.monotonic() < deadline:
                before = len(by_reference)
                await asyncio.sleep(1.5)
                by_reference = {
                    int(r.payload["message_reference"]["message_id"]): r
                    for r in emu.requests
                    if r.method == "POST" and r.status == 200 and isinstance(r.payload, dict)
                    and r.payload.get("message_reference")
                }  # fmt: skip
                if len(by_reference) == before:
                    break
            received = [r for r in replies if isinstance(r, Request)]
            received += [by_reference[int(m["id"])] for m in mentions if int(m["id"]) in by_reference]
            kinds = [kind_of(r) for r in received]
            report.answered = kinds.count("answer")
            report.refused_too_long = kinds.count("too long")
            report.notices = kinds.count("notice")
            report.limited = bot.questions_limited - sum(isinstance(r, Request) and kind_of(r) == "notice"
                                                         for r in await _replies(emu, probes))  # fmt: skip
            silent = report.limited - report.notices  # mentions refused again within a window: no reply
            report.mentions_unanswered = report.mentions - sum(int(m["id"]) in by_reference for m in mentions) - silent
            for probe in await _replies(emu, probes):
                if not isinstance(probe, Request) or kind_of(probe) != "answer":
                    continue
                card = probe.message["embeds"][0]
                title = card["title"] if card.get("url") == COCOA_URL else "(another paper)"
                report.probes[title] = report.probes.get(title, 0) + 1
            report.half_loaded = report.probes.get("(another paper)", 0)
            report.guard_tracked = bot.guard.tracked()
            report.violations = list(emu.violations)
    finally:
        logging.getLogger().removeHandler(errors)
        shutil.rmtree(workdir, ignore_errors=True)
    report.errors_logged = [r for r in errors.records if "reload failed" not in r]
    report.seconds = time.monotonic() - start
    report.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
