"""Benchmark parsing and ingest on a synthetic transcript corpus: MB/s and files/s.

    python benchmarks/bench_ingest.py --files 2000 --turns 76

Writes ``--files`` transcripts with ``benchmarks.synthetic.write_transcripts``
(about 50 KB each at 76 turns: 100 MB for 2000 files) to a temporary folder,
then measures, each in a fresh process:

- parse: ``parse_file`` on every file and nothing else (reading included, the
  files are in the page cache), pinned to one CPU.
- ingest: ``ingest_paths`` on the folder into a fresh SQLite store, the way
  ``interview-bot ingest`` does it (parsing in a worker thread while the store
  writes the file before), pinned to one CPU.
- ingest with ``--processes N`` parser processes (``ProcessPoolExecutor``), not
  pinned; 0 skips it.

Speeds are over the source bytes. A file the parser rejects counts in the time
and is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_transcripts
from benchmarks.workers import peak_mb, pin_to_one_cpu, run_worker, work_root
from knowledge.errors import KnowledgeError
from knowledge.ingest import iter_source_files

DB_NAME = "ingest.sqlite3"


def _megabytes(paths: list[Path]) -> float:
    return sum(path.stat().st_size for path in paths) / 2**20


def write_worker(folder: Path, files: int, turns: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    paths = write_transcripts(folder, files, turns, seed)
    return {"files": len(paths), "mb": _megabytes(paths), "write_s": time.perf_counter() - start}


def parse_worker(folder: Path) -> dict[str, Any]:
    from knowledge.parser import parse_file

    pin_to_one_cpu()
    paths = iter_source_files([folder])
    rejected = turns = 0
    start = time.perf_counter()
    for path in paths:
        try:
            turns += len(parse_file(path).turns)
        except KnowledgeError:
            rejected += 1
    return {
        "parse_s": time.perf_counter() - start,
        "parse_rejected": rejected,
        "turns": turns,
        "parse_peak_mb": peak_mb(),
    }


async def _ingest(folder: Path, db: Path, processes: int) -> dict[str, Any]:
    from knowledge.ingest import ingest_paths
    from knowledge.store import Store

    executor = ProcessPoolExecutor(processes) if processes else None
    store = await Store.open(db)
    try:
        start = time.perf_counter()
        outcomes = await ingest_paths(store, [folder], executor=executor)
        elapsed = time.perf_counter() - start
        _, passages = await store.count()
    finally:
        await store.close()
        if executor is not None:
            executor.shutdown()
    statuses = Counter(outcome.status for outcome in outcomes)
    return {
        "ingest_s": elapsed,
        "stored": statuses["stored"],
        "rejected": statuses["rejected"],
        "passages": passages,
        "store_mb": sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20,
        "ingest_peak_mb": peak_mb(),
    }


def ingest_worker(folder: Path, db: Path, processes: int) -> dict[str, Any]:
    if not processes:
        pin_to_one_cpu()
    return asyncio.run(_ingest(folder, db, processes))


def _child(worker: str, **options: object) -> dict[str, Any]:
    args = ["--worker", worker]
    for name, value in options.items():
        args += [f"--{name}", str(value)]
    return run_worker(__file__, args)


def _ingest_line(label: str, mb: float, files: int, r: dict[str, Any]) -> str:
    seconds = r["ingest_s"]
    return (
        f"{label}: {seconds:.1f} s = {mb / seconds:.2f} MB/s, {files / seconds:.1f} files/s, "
        f"{r['passages'] / seconds:,.0f} passages/s | {r['stored']} stored, "
        f"{r['rejected']} rejected, {r['passages']:,} passages, store {r['store_mb']:.0f} MB, "
        f"peak RSS {r['ingest_peak_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=76, help="turns per transcript")
    parser.add_argument("--processes", type=int, default=2, help="parser processes; 0: skip")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and stores here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--worker", choices=["write", "parse", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "write":
        print(json.dumps(write_worker(args.dir, args.files, args.turns, args.seed)))
        return
    if args.worker == "parse":
        print(json.dumps(parse_worker(args.dir)))
        return
    if args.worker == "ingest":
        print(json.dumps(ingest_worker(args.dir, args.db, args.processes)))
        return

    with work_root(args.workdir, "bench-ingest-") as root:
        corpus = root / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        for store in root.glob(f"*{DB_NAME}*"):
            store.unlink()
        r = _child("write", dir=corpus, files=args.files, turns=args.turns, seed=args.seed)
        r |= _child("parse", dir=corpus)
        r |= _child("ingest", dir=corpus, db=root / DB_NAME, processes=0)
        if args.processes:
            pool = _child(
                "ingest", dir=corpus, db=root / f"pool-{DB_NAME}", processes=args.processes
            )
            r |= {f"pool_{key}": value for key, value in pool.items()}
        r |= {"processes": args.processes}
        if args.json:
            print(json.dumps(r))
            return
        mb, files = r["mb"], r["files"]
        print(
            f"corpus: {files} files, {mb:.1f} MB, {r['turns']:,} turns "
            f"(written in {r['write_s']:.1f} s)"
        )
        print(
            f"parse (one core): {r['parse_s']:.1f} s = {mb / r['parse_s']:.2f} MB/s, "
            f"{files / r['parse_s']:.1f} files/s | {r['parse_rejected']} rejected, "
            f"peak RSS {r['parse_peak_mb']:.0f} MB"
        )
        print(_ingest_line("ingest (one core)", mb, files, r))
        if args.processes:
            pool = {key[5:]: value for key, value in r.items() if key.startswith("pool_")}
            print(_ingest_line(f"ingest ({args.processes} parser processes)", mb, files, pool))


if __name__ == "__main__":
    main()
