"""How the engine's cost grows with the corpus, against plain TF-IDF and bm25s, each system and size in a process
of its own (so each peak memory is that process' own, from the operating system).

`python -m bot bench --synthetic 1000,10000,50000` runs this; `python -m bot.scale SYSTEM SIZE ROUNDS`
measures one system at one size and prints one JSON line (SYSTEM "paperbot index": the engine's index
alone, built and nothing else); `python -m bot.scale ask CONFIG` runs `ask` and prints its peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SYSTEMS = ("paperbot engine", "plain TF-IDF", "bm25s")
INDEX_ALONE = "paperbot index"  # the engine's index and nothing else: no names, acronyms or questions


def _peak_mib() -> float:
    """This process' peak resident memory in MiB.

    Linux's VmHWM where there is one: ru_maxrss survives exec, so a child started by a large
    parent would report at least the parent's peak at the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(system: str, size: int, rounds: int) -> dict[str, Any]:
    """Build `system` over `size` synthetic abstracts plus the shipped papers, then time the tuned questions."""
    from bot.benchmark import QUESTIONS, Bm25, PlainTfidf, latency, synthetic_corpus
    from bot.config import load_settings
    from bot.core.corpus import load_corpus
    from bot.core.engine import Engine
    from bot.core.glossary import load_glossary
    from bot.evaluation import TOPIC_KINDS, Responder, engine_responder, evaluate, load_questions

    settings = load_settings(None)
    glossary = load_glossary(settings.glossary)
    questions = load_questions(QUESTIONS)
    corpus = synthetic_corpus(load_corpus(settings.corpus), size)
    before = _peak_mib()
    wall, cpu = time.perf_counter(), time.process_time()
    if system == INDEX_ALONE:
        from bot.core.search import Index

        Index(corpus.papers, settings.retrieval, glossary)
        built_wall, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"system": system, "papers": len(corpus.papers), "build_s": built_wall, "build_cpu_s": built_cpu,
                "peak_before_mib": before, "peak_mib": _peak_mib()}  # fmt: skip
    k = settings.retrieval.max_results
    responder: Responder
    if system == SYSTEMS[0]:
        responder = engine_responder(Engine(corpus, settings, glossary))
    elif system == SYSTEMS[1]:
        responder = PlainTfidf(corpus, k)
    else:
        responder = Bm25(corpus, k)
    built_wall, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
    lat = latency(responder, questions, rounds)
    topic = latency(responder, [q for q in questions if q.kind in TOPIC_KINDS], rounds)
    report = evaluate(questions, corpus, responder)
    return {
        "system": system, "papers": len(corpus.papers), "build_s": built_wall, "build_cpu_s": built_cpu,
        "peak_before_mib": before, "peak_mib": _peak_mib(), "p50_ms": lat.p50_ms, "p99_ms": lat.p99_ms,
        "topic_p99_ms": topic.p99_ms,
        "top1_topic": report.top1(TOPIC_KINDS),
    }  # fmt: skip


def _child(args: Sequence[str]) -> dict[str, Any]:
    """Run this module in a new process; its one line of JSON."""
    done = subprocess.run([sys.executable, "-m", "bot.scale", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bot.scale {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def growth(sizes: Sequence[int], rounds: int, out: Callable[[str], None] = print) -> None:
    """One table: every system at every size, each in its own process."""
    out("## Cost as the corpus grows (synthetic abstracts plus the 15 shipped papers)")
    out("")
    out(
        "Each row is one process (`python -m bot.scale SYSTEM SIZE`): it makes the corpus, builds the system "
        "and times the tuned set's questions. Peak is that process' peak resident memory (VmHWM), corpus "
        "included; 'corpus only' is the peak before the build. Build CPU is the process' CPU seconds (for the "
        "engine, also the index alone, built in a process of its own: `python -m bot.scale 'paperbot index' "
        "SIZE 0`); the "
        "wall time depends on what else the machine was running. Top-1 is on the tuned set's topic questions, "
        "the right paper among the 15 real ones first against all the synthetic ones. p50 and p99 are over "
        "all 85 questions (coauthor, year and venue lists included); topic p99 over the 51 topic questions."
    )  # fmt: skip
    out("")
    out("| papers | system | build s (wall) | build s (CPU) | peak MiB | corpus only MiB | p50 ms | p99 ms "
        "| topic p99 ms | top-1 |")
    out("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for system in SYSTEMS:
            r = _child([system, str(size), str(rounds)])
            index = ""
            if system == SYSTEMS[0]:  # the index alone, in a process of its own: a bot builds it once
                alone = _child([INDEX_ALONE, str(size), "0"])
                index = f" (index alone {alone['build_cpu_s']:.2f}, peak {alone['peak_mib']:.0f} MiB)"
            out(f"| {r['papers']:,} | {r['system']} | {r['build_s']:.2f} | {r['build_cpu_s']:.2f}{index} | "
                f"{r['peak_mib']:.0f} | {r['peak_before_mib']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                f"{r['topic_p99_ms']:.2f} | {r['top1_topic']:.1%} |")  # fmt: skip


def write_corpus(size: int, folder: Path) -> Path:
    """A corpus file of `size` synthetic papers (and the shipped ones) with its config; the config's path."""
    import yaml

    from bot.benchmark import synthetic_corpus
    from bot.config import load_settings
    from bot.core.corpus import load_corpus
    from bot.ingest.writer import paper_fields, profile_fields

    settings = load_settings(None)
    base = load_corpus(settings.corpus)
    corpus = synthetic_corpus(base, size)
    folder.mkdir(parents=True, exist_ok=True)
    def plain(fields: dict[str, object]) -> dict[str, object]:  # the writer's folded-text marker is a str subclass
        return {k: str(v) if isinstance(v, str) else v for k, v in fields.items()}

    data = {"profile": plain(profile_fields(base.members[0])),
            "papers": [plain(paper_fields(p)) for p in corpus.papers]}  # fmt: skip
    with (folder / "corpus.yaml").open("w", encoding="utf-8") as stream:
        # libyaml's emitter: the ingest writer's pure-Python one takes minutes at this size.
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        yaml.dump(data, stream, Dumper=dumper, allow_unicode=True, sort_keys=False)
    assert settings.glossary is not None
    config = folder / "config.yaml"
    config.write_text(f"corpus: [corpus.yaml]\nglossary: {settings.glossary}\ndata_dir: data\n", encoding="utf-8")
    return config


def _timed_ask(config: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of one `python -m bot ask` in a new process."""
    result = _child(["ask", str(config)])
    return float(result["wall_s"]), float(result["cpu_s"]), float(result["peak_mib"])


def _ask(config: str) -> dict[str, Any]:
    """Run `python -m bot ask` as this small process' child, its answer thrown away: its wall time
    and its own peak memory (the child of a small parent: what ru_maxrss keeps across exec is small)."""
    command = [sys.executable, "-m", "bot", "--config", config, "ask", "What is COCOA?"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"ask exited with {child.returncode}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def cold_start(size: int, folder: Path, out: Callable[[str], None] = print) -> None:
    """`ask` from the YAML (no saved index), then again with the index saved by the first."""
    config = write_corpus(size, folder)
    for saved in (folder / "data").glob("cache/*.npz"):
        saved.unlink()
    megabytes = (folder / "corpus.yaml").stat().st_size / 2**20
    cold = _timed_ask(config)
    warm = _timed_ask(config)
    out(f"## Start-up at {size:,} synthetic papers ({megabytes:.0f} MB of corpus YAML)")
    out("")
    out("| `python -m bot ask` | wall s | CPU s | peak MiB |")
    out("|---|---|---|---|")
    out(f"| cold: corpus read from the YAML, index built, both saved | {cold[0]:.1f} | {cold[1]:.1f} | {cold[2]:.0f} |")
    out(f"| restart: corpus and index read back from data_dir | {warm[0]:.1f} | {warm[1]:.1f} | {warm[2]:.0f} |")


if __name__ == "__main__":
    if sys.argv[1] == "ask":
        print(json.dumps(_ask(sys.argv[2])))
    else:
        print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
