"""Benchmark BigramIndex on synthetic corpora: build, memory, load, latency, recall.

    python benchmarks/bench_index.py --sizes 10000 100000 1000000

Each size runs in two fresh processes, so peaks never mix:

- build: streams the synthetic corpus into ``BigramIndex.build``, saves it,
  then answers the queries from memory. Its peak RSS is that of a process that
  builds an index and serves it.
- serve: ``BigramIndex.load`` (memory-mapped) and answers the same queries
  twice, first with the default deferral of common bigrams, then with none
  (``max_df=1.0``), to show what deferral saves and whether it loses recall.

Both are pinned to one CPU. Latencies are single-threaded wall time per
``search(query, k=50)``. Recall@50 is the share of in-corpus queries whose
source paragraph is among the 50 hits; "typo" restricts it to queries with at
least one mistyped character. Overlap is the share of the exhaustive top 50
that the default search also returns.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import Corpus, Query, make_queries
from benchmarks.workers import (
    best_of,
    emit,
    latency,
    peak_mb,
    pin_to_one_cpu,
    run_worker,
    work_root,
)
from knowledge.index import BigramIndex, Hit


def _keys(size: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    return np.arange(size, dtype=np.int64) * 3 + 1  # rowid-like: ascending, with gaps


def _run_queries(
    index: BigramIndex, queries: list[Query], **options: Any
) -> tuple[list[float], list[list[Hit]]]:
    latencies: list[float] = []
    results: list[list[Hit]] = []
    for query in queries:
        start = time.perf_counter()
        hits = index.search(query.text, 50, **options)
        latencies.append((time.perf_counter() - start) * 1e3)
        results.append(hits)
    return latencies, results


def _recall(index: BigramIndex, queries: list[Query], results: list[list[Hit]]) -> dict[str, float]:
    keys = index.keys
    found = [
        (q.typos > 0, int(keys[q.source]) in {h.key for h in hits})
        for q, hits in zip(queries, results, strict=True)
        if q.source is not None
    ]
    typo = [ok for has_typo, ok in found if has_typo]
    return {
        "recall": float(np.mean([ok for _, ok in found])),
        "recall_typo": float(np.mean(typo)) if typo else float("nan"),
        "typo_queries": len(typo),
    }


def build_worker(size: int, folder: Path, n_queries: int, seed: int) -> dict[str, Any]:
    pin_to_one_cpu()
    corpus = Corpus(size, seed)
    start = time.perf_counter()
    index = BigramIndex.build(_keys(size), iter(corpus))
    build_s = time.perf_counter() - start
    peak_build = peak_mb()
    start = time.perf_counter()
    index.save(folder / "index")
    save_s = time.perf_counter() - start
    queries = make_queries(corpus, n_queries, seed=seed + 1)
    (folder / "queries.json").write_text(json.dumps([asdict(q) for q in queries]), "utf-8")
    latencies, results = _run_queries(index, queries)
    return {
        "size": size,
        "index": repr(index),
        "index_mb": index.nbytes / 2**20,
        "disk_mb": sum(f.stat().st_size for f in (folder / "index").iterdir()) / 2**20,
        "build_s": build_s,
        "save_s": save_s,
        "peak_build_mb": peak_build,
        "peak_build_query_mb": peak_mb(),
        **latency(latencies, "mem_"),
        **_recall(index, queries, results),
    }


def serve_worker(folder: Path) -> dict[str, Any]:
    pin_to_one_cpu()
    queries = [Query(**q) for q in json.loads((folder / "queries.json").read_text("utf-8"))]
    start = time.perf_counter()
    index = BigramIndex.load(folder / "index")
    load_ms = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    index.search(queries[0].text)
    first_ms = (time.perf_counter() - start) * 1e3
    cold, _ = _run_queries(index, queries)
    warm, results = _run_queries(index, queries)
    passes = [warm] + [_run_queries(index, queries)[0] for _ in range(2)]
    exhaustive_latency, exhaustive = _run_queries(index, queries, max_df=1.0)
    exhaustive_passes = [exhaustive_latency, _run_queries(index, queries, max_df=1.0)[0]]
    overlaps = [
        len({h.key for h in a} & {h.key for h in b}) / len(b)
        for a, b in zip(results, exhaustive, strict=True)
        if b
    ]
    top_coverage = {
        kind: float(np.median([hits[0].coverage if hits else 0.0 for hits in group]))
        for kind, group in (
            (
                "in_corpus",
                [r for q, r in zip(queries, results, strict=True) if q.source is not None],
            ),
            ("off_domain", [r for q, r in zip(queries, results, strict=True) if q.source is None]),
        )
    }
    exact = _recall(index, queries, exhaustive)
    return {
        "load_ms": load_ms,
        "first_query_ms": first_ms,
        **latency(cold, "first_pass_"),
        **latency(warm, ""),
        **best_of(passes, "best_"),
        **latency(exhaustive_latency, "exhaustive_"),
        **best_of(exhaustive_passes, "exhaustive_best_"),
        **_recall(index, queries, results),
        "exhaustive_recall": exact["recall"],
        "exhaustive_recall_typo": exact["recall_typo"],
        "overlap_with_exhaustive": float(np.mean(overlaps)),
        "top_coverage_in_corpus": top_coverage["in_corpus"],
        "top_coverage_off_domain": top_coverage["off_domain"],
        "peak_serve_mb": peak_mb(),
    }


def _report(r: dict[str, Any]) -> None:
    print(f"\n== {r['size']:,} passages: {r['index']}")
    print(
        f"build {r['build_s']:.1f} s (incl. generating the corpus), save {r['save_s']:.2f} s, "
        f"index {r['index_mb']:.0f} MB in memory, {r['disk_mb']:.0f} MB on disk"
    )
    print(
        f"peak RSS: build {r['peak_build_mb']:.0f} MB, "
        f"build+query {r['peak_build_query_mb']:.0f} MB, "
        f"load+query (mmap) {r['peak_serve_mb']:.0f} MB"
    )
    print(f"load {r['load_ms']:.1f} ms, first query {r['first_query_ms']:.1f} ms")
    print(
        f"query ms (k=50, one core)  p50 {r['p50_ms']:.2f}  p99 {r['p99_ms']:.2f}  "
        f"max {r['max_ms']:.2f} | best of 3: p50 {r['best_p50_ms']:.2f}  "
        f"p99 {r['best_p99_ms']:.2f}  max {r['best_max_ms']:.2f}"
    )
    print(
        f"  first pass after load p99 {r['first_pass_p99_ms']:.2f}; "
        f"in the build process p99 {r['mem_p99_ms']:.2f}"
    )
    print(
        f"no deferral (max_df=1.0)   p50 {r['exhaustive_p50_ms']:.2f}  "
        f"p99 {r['exhaustive_p99_ms']:.2f} | best of 2: "
        f"p99 {r['exhaustive_best_p99_ms']:.2f}  max {r['exhaustive_best_max_ms']:.2f}"
    )
    print(
        f"recall@50 of source: all {r['recall']:.3f}, typo ({r['typo_queries']}) "
        f"{r['recall_typo']:.3f} | no deferral: {r['exhaustive_recall']:.3f}, "
        f"{r['exhaustive_recall_typo']:.3f} | top-50 overlap {r['overlap_with_exhaustive']:.3f}"
    )
    print(
        f"median coverage of the top hit: in-corpus {r['top_coverage_in_corpus']:.2f}, "
        f"off-domain {r['top_coverage_off_domain']:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep the saved indexes here")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--worker", choices=["build", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "build":
        print(json.dumps(build_worker(args.sizes[0], args.dir, args.queries, args.seed)))
        return
    if args.worker == "serve":
        print(json.dumps(serve_worker(args.dir)))
        return

    with work_root(args.workdir, "bench-index-") as root:
        for size in args.sizes:
            folder = root / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            common = [
                "--dir",
                str(folder),
                "--queries",
                str(args.queries),
                "--seed",
                str(args.seed),
            ]
            result = run_worker(__file__, ["--worker", "build", "--sizes", str(size), *common])
            result |= run_worker(__file__, ["--worker", "serve", "--sizes", str(size), *common])
            emit(result, args.json, _report)


if __name__ == "__main__":
    main()
