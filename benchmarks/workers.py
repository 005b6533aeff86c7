"""What every benchmark script shares: measuring in fresh worker processes.

Each measurement runs in its own process (``run_worker``) so that peak memory
figures never mix, pinned to one CPU so that latencies are single-core numbers.
A worker prints its result as JSON on its last line of output.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np


def peak_mb() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def pin_to_one_cpu() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run_worker(script: str, args: list[str]) -> dict[str, Any]:
    """Run ``script`` with ``args`` in a fresh interpreter; the JSON it printed last."""
    done = subprocess.run(
        [sys.executable, script, *args], check=False, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker failed: {' '.join(args)}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def latency(latencies: list[float], prefix: str) -> dict[str, float]:
    """p50, p99 and max of one pass, in milliseconds."""
    values = np.array(latencies)
    return {
        f"{prefix}p50_ms": float(np.percentile(values, 50)),
        f"{prefix}p99_ms": float(np.percentile(values, 99)),
        f"{prefix}max_ms": float(values.max()),
    }


def best_of(passes: list[list[float]], prefix: str) -> dict[str, float]:
    """``latency`` of each query's fastest pass: what the code costs without noise."""
    return latency(np.min(np.array(passes), axis=0).tolist(), prefix)


@contextmanager
def work_root(workdir: Path | None, prefix: str) -> Iterator[Path]:
    """Where a benchmark keeps its files: ``--workdir`` if given (kept), else a temporary
    folder removed at the end. Prints the machine's load first: every report needs it."""
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    root = workdir or Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)


def emit(result: dict[str, Any], as_json: bool, report: Callable[[dict[str, Any]], None]) -> None:
    """One result, as a JSON line or as the script's readable report."""
    if as_json:
        print(json.dumps(result))
    else:
        report(result)
    sys.stdout.flush()
