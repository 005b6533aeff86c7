"""Benchmark the whole search path on synthetic stores: ingest, start-up, memory, latency.

    python benchmarks/bench_search.py --sizes 10000 100000 1000000

Each size runs in three fresh processes, so peaks never mix:

- build: generates ``size`` answer paragraphs (``benchmarks.synthetic.Corpus``,
  with their punctuation) as ``Interview`` objects, each a greeting, host
  questions answered in one to four paragraphs, and a farewell, and stores them
  one by one with ``Store.ingest`` into a fresh SQLite file. Its time is the
  ingest time (passage splitting, normalising, writing; generation excluded).
- cold start: the first start after the ingest: ``KnowledgeBase.open`` reads
  every passage, builds the search indexes and saves them beside the store, and
  a first ``ask`` answers.
- serve: what the bot does when it restarts on that store: ``KnowledgeBase.open``
  (reads every passage, maps the saved indexes) and a first ``ask``; then
  ``ask(query, top_k=3)`` for every query, three passes, and then the search
  alone (``plan_query`` and ``Searcher.rank``, without quoting and fetching
  turns), three passes. Its
  peak RSS is that of a bot serving the store.

Both are pinned to one CPU. Queries come from ``make_queries``: snippets of
random paragraphs with input-method typos, and a tenth from outside the domain.
Latencies are single-threaded wall time per ``ask``; "best of 3" takes each
query's fastest pass (its cost without preemption by other processes). "Top-1"
is the share of in-corpus queries whose first result is the turn the snippet
was cut from; "declined" the share of off-domain queries the engine declined.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from knowledge.engine import KnowledgeBase

from benchmarks.synthetic import (
    _GIVEN,
    _NOUNS,
    _PROVINCES,
    _QUESTIONS,
    _SURNAMES,
    BLOCK,
    Corpus,
    Query,
    make_queries,
)
from benchmarks.workers import (
    best_of,
    emit,
    latency,
    peak_mb,
    pin_to_one_cpu,
    run_worker,
    work_root,
)
from knowledge.models import Interview, Pair, Speaker, Turn

DB_NAME = "bench.sqlite3"
OUTLETS = ("广东省人民政府网", "南方日报", "应急管理部网站", "人民网", "新华网", "中国应急管理报")
TITLES = ("厅长", "副厅长", "局长", "副局长")
_IMPORTED = time.perf_counter()


def _since_start() -> float:
    """Seconds since this process started (Linux: from /proc, to the clock tick)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return up - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


def _store_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.glob(DB_NAME + "*")) / 2**20


# --- the synthetic store ------------------------------------------------------------


def _paragraphs(size: int, seed: int) -> Iterator[str]:
    """Corpus paragraphs 0..size-1 with their punctuation, in order."""
    corpus = Corpus(size, seed)
    for block in range(0, size, BLOCK):
        yield from corpus.raw(block // BLOCK)[: min(BLOCK, size - block)]


def interviews(size: int, seed: int) -> Iterator[tuple[Interview, list[int]]]:
    """Interviews holding exactly ``size`` answer paragraphs, corpus paragraph i the i-th passage.

    Yields each interview with the turn index of each of its paragraphs, in order.
    """
    rng = np.random.default_rng([seed, 0xB5EA])
    nouns = _NOUNS.split()
    provinces = _PROVINCES.split()
    people = sorted(
        {
            s + g1 + g2
            for s, g1, g2 in zip(
                rng.choice(list(_SURNAMES), 3000).tolist(),
                rng.choice(list(_GIVEN), 3000).tolist(),
                rng.choice(list(_GIVEN), 3000).tolist(),
                strict=True,
            )
        }
    )
    paragraphs = _paragraphs(size, seed)
    left = size
    number = 0
    while left > 0:
        name = people[int(rng.integers(0, len(people)))]
        province = provinces[int(rng.integers(0, len(provinces)))]
        title = TITLES[int(rng.integers(0, len(TITLES)))]
        when = datetime(2018, 1, 1, 10) + timedelta(days=int(rng.integers(0, 2500)))
        turns = [
            Turn(
                index=0,
                speaker="主持人",
                role="interviewer",
                time=when.strftime("%Y-%m-%d %H:%M:%S"),
                text=f"各位网友大家好！欢迎来到在线访谈，今天我们邀请到了{province}省{title}{name}。",
            )
        ]
        pairs: list[Pair] = []
        owners: list[int] = []
        for _ in range(int(rng.integers(10, 31))):
            if left == 0:
                break
            template = _QUESTIONS[int(rng.integers(0, len(_QUESTIONS)))]
            question = template.format(
                noun=nouns[int(rng.integers(0, len(nouns)))],
                noun2=nouns[int(rng.integers(0, len(nouns)))],
                place=provinces[int(rng.integers(0, len(provinces)))] + "省",
            )
            count = min(left, int(rng.integers(1, 5)))
            answer = "\n\n".join(next(paragraphs) for _ in range(count))
            left -= count
            asked, answered = len(turns), len(turns) + 1
            turns.append(Turn(index=asked, speaker="主持人", role="interviewer", text=question))
            turns.append(Turn(index=answered, speaker=name, role="interviewee", text=answer))
            pairs.append(Pair(question=asked, answers=[answered]))
            owners += [answered] * count
        turns.append(
            Turn(index=len(turns), speaker=name, role="interviewee", text="谢谢大家，再见！")
        )
        heading = f"专访{province}省应急管理厅{title}{name}"
        interview_id = f"bench-{number:06d}"
        yield (
            Interview(
                id=interview_id,
                title=heading,
                outlet=OUTLETS[int(rng.integers(0, len(OUTLETS)))],
                date=when.strftime("%Y-%m-%d"),
                speakers=[
                    Speaker(label="主持人", role="interviewer"),
                    Speaker(
                        label=name,
                        name=name,
                        position=f"{province}省应急管理厅{title}",
                        role="interviewee",
                    ),
                ],
                turns=turns,
                pairs=pairs,
                source_name=interview_id + ".txt",
                content_hash=hashlib.sha256(interview_id.encode()).hexdigest(),
            ),
            owners,
        )
        number += 1


# --- workers --------------------------------------------------------------------------


async def _build(size: int, folder: Path, n_queries: int, seed: int) -> dict[str, Any]:
    from knowledge.store import Store

    corpus = Corpus(size, seed)
    queries = make_queries(corpus, n_queries, seed=seed + 1)
    wanted = {q.source for q in queries if q.source is not None}
    where: dict[int, tuple[str, int]] = {}  # query source -> (interview id, turn)
    position = 0
    ingest_s = 0.0
    n_interviews = 0
    started = time.perf_counter()
    store = await Store.open(folder / DB_NAME)
    try:
        for interview, owners in interviews(size, seed):
            for turn in owners:
                if position in wanted:
                    where[position] = (interview.id, turn)
                position += 1
            start = time.perf_counter()
            status = await store.ingest(interview)
            ingest_s += time.perf_counter() - start
            if status != "stored":
                raise RuntimeError(f"{interview.id}: {status}")
            n_interviews += 1
        stored_interviews, passages = await store.count()
    finally:
        await store.close()
    total_s = time.perf_counter() - started
    if (stored_interviews, passages) != (n_interviews, size):
        raise RuntimeError(f"stored {stored_interviews} interviews, {passages} passages")
    records = [
        asdict(q) | {"where": where.get(q.source) if q.source is not None else None}
        for q in queries
    ]
    (folder / "queries.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return {
        "size": size,
        "interviews": n_interviews,
        "ingest_s": ingest_s,
        "build_s": total_s,
        "peak_build_mb": peak_mb(),
        "store_mb": _store_mb(folder),
    }


def build_worker(size: int, folder: Path, n_queries: int, seed: int) -> dict[str, Any]:
    pin_to_one_cpu()
    return asyncio.run(_build(size, folder, n_queries, seed))


async def _start(folder: Path) -> tuple[KnowledgeBase, dict[str, Any]]:
    """Open the store as the bot does and answer one question: the start-up figures."""
    from knowledge.engine import KnowledgeBase
    from knowledge.ingest import SEEDS_DIR

    imported = _since_start()
    records = json.loads((folder / "queries.json").read_text("utf-8"))
    start = time.perf_counter()
    kb = await KnowledgeBase.open(folder / DB_NAME, seeds_dir=SEEDS_DIR)
    open_s = time.perf_counter() - start
    peak_open = peak_mb()
    start = time.perf_counter()
    await kb.ask(records[0]["text"], top_k=3)
    first_ms = (time.perf_counter() - start) * 1e3
    return kb, {
        "started_s": imported,
        "open_s": open_s,
        "first_ask_ms": first_ms,
        "first_answer_s": _since_start(),
        "peak_open_mb": peak_open,
    }


async def _cold_start(folder: Path) -> dict[str, Any]:
    kb, figures = await _start(folder)
    await kb.close()
    return {f"cold_{name}": value for name, value in figures.items()}


def cold_start_worker(folder: Path) -> dict[str, Any]:
    """The first start after an ingest: builds the search index and saves it."""
    pin_to_one_cpu()
    shutil.rmtree(Path(f"{folder / DB_NAME}.index"), ignore_errors=True)
    return asyncio.run(_cold_start(folder))


async def _serve(folder: Path, passes: int) -> dict[str, Any]:
    from knowledge.models import Answer

    records = json.loads((folder / "queries.json").read_text("utf-8"))
    queries = [Query(r["text"], r["source"], r["typos"]) for r in records]
    where = [tuple(r["where"]) if r["where"] else None for r in records]

    kb, started = await _start(folder)
    try:
        runs: list[list[float]] = []
        answers: list[Answer] = []
        for number in range(passes):
            latencies = []
            for query in queries:
                start = time.perf_counter()
                answer = await kb.ask(query.text, top_k=3)
                latencies.append((time.perf_counter() - start) * 1e3)
                if number == 0:
                    answers.append(answer)
            runs.append(latencies)
        # The search alone, without quoting and fetching the turns: what ask() does first.
        searcher = kb._searcher
        search_runs: list[list[float]] = []
        for _ in range(passes):
            latencies = []
            for query in queries:
                start = time.perf_counter()
                plan = searcher.plan(query.text)
                searcher.rank(plan, limit=9)  # what ask(top_k=3) ranks
                latencies.append((time.perf_counter() - start) * 1e3)
            search_runs.append(latencies)
    finally:
        await kb.close()

    inside = [
        (a, w) for q, a, w in zip(queries, answers, where, strict=True) if q.source is not None
    ]
    outside = [a for q, a in zip(queries, answers, strict=True) if q.source is None]
    top1 = [
        bool(a.results) and (a.results[0].interview_id, a.results[0].turn) == w for a, w in inside
    ]
    return {
        **started,
        "peak_serve_mb": peak_mb(),
        **latency(runs[0], ""),
        **best_of(runs, "best_"),
        **latency(search_runs[0], "search_"),
        **best_of(search_runs, "search_best_"),
        "queries": len(queries),
        "in_corpus": len(inside),
        "answered_in_corpus": float(np.mean([a.answered for a, _ in inside])) if inside else 0.0,
        "top1_in_corpus": float(np.mean(top1)) if top1 else 0.0,
        "declined_off_domain": float(np.mean([not a.answered for a in outside]))
        if outside
        else 0.0,
    }


def serve_worker(folder: Path, passes: int) -> dict[str, Any]:
    pin_to_one_cpu()
    return asyncio.run(_serve(folder, passes))


# --- driver ---------------------------------------------------------------------------


def _report(r: dict[str, Any]) -> None:
    print(f"\n== {r['size']:,} passages in {r['interviews']:,} interviews")
    if "ingest_s" in r:
        print(
            f"ingest {r['ingest_s']:.1f} s = {r['size'] / r['ingest_s']:,.0f} passages/s "
            f"(build {r['build_s']:.1f} s incl. generating), peak RSS {r['peak_build_mb']:.0f} MB"
        )
    print(f"store on disk {r['store_mb']:.1f} MB")
    for label, prefix in (("first start (builds and saves the index)", "cold_"), ("restart", "")):
        print(
            f"{label}: python + imports {r[prefix + 'started_s']:.2f} s, "
            f"open {r[prefix + 'open_s']:.2f} s, first ask {r[prefix + 'first_ask_ms']:.1f} ms "
            f"-> first answer {r[prefix + 'first_answer_s']:.2f} s after start, "
            f"peak RSS {r[prefix + 'peak_open_mb']:.0f} MB"
        )
    print(f"peak RSS serving: {r['peak_serve_mb']:.0f} MB (after open {r['peak_open_mb']:.0f} MB)")
    print(
        f"ask ms (top_k=3, one core, {r['queries']} queries)  p50 {r['p50_ms']:.2f}  "
        f"p99 {r['p99_ms']:.2f}  max {r['max_ms']:.2f} | best of {r['passes']}: "
        f"p50 {r['best_p50_ms']:.2f}  p99 {r['best_p99_ms']:.2f}  max {r['best_max_ms']:.2f}"
    )
    print(
        f"  search only (plan + rank)  p50 {r['search_p50_ms']:.2f}  p99 {r['search_p99_ms']:.2f}  "
        f"max {r['search_max_ms']:.2f} | best of {r['passes']}: p50 {r['search_best_p50_ms']:.2f}  "
        f"p99 {r['search_best_p99_ms']:.2f}  max {r['search_best_max_ms']:.2f}"
    )
    print(
        f"in-corpus ({r['in_corpus']}): answered {r['answered_in_corpus']:.3f}, "
        f"top-1 source turn {r['top1_in_corpus']:.3f} | off-domain declined "
        f"{r['declined_off_domain']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep the stores here")
    parser.add_argument(
        "--reuse", action="store_true", help="serve a store already in --workdir, skip the build"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--worker", choices=["build", "cold", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "build":
        print(json.dumps(build_worker(args.sizes[0], args.dir, args.queries, args.seed)))
        return
    if args.worker == "cold":
        print(json.dumps(cold_start_worker(args.dir)))
        return
    if args.worker == "serve":
        print(json.dumps(serve_worker(args.dir, args.passes)))
        return
    if args.reuse and args.workdir is None:
        parser.error("--reuse needs --workdir")

    with work_root(args.workdir, "bench-search-") as root:
        for size in args.sizes:
            folder = root / str(size)
            common = ["--sizes", str(size), "--dir", str(folder), "--seed", str(args.seed)]
            built = folder / "build.json"
            if args.reuse and built.exists():
                result = json.loads(built.read_text("utf-8"))
                result.pop("ingest_s", None)  # not measured in this run
            else:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                result = run_worker(
                    __file__, ["--worker", "build", *common, "--queries", str(args.queries)]
                )
                built.write_text(json.dumps(result), "utf-8")
            result |= run_worker(__file__, ["--worker", "cold", *common])
            result |= run_worker(
                __file__, ["--worker", "serve", *common, "--passes", str(args.passes)]
            )
            result |= {"passes": args.passes, "store_mb": _store_mb(folder)}
            emit(result, args.json, _report)


if __name__ == "__main__":
    main()
