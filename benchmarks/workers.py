"""What every benchmark script shares: measuring in fresh worker processes.

Each measurement runs in its own process (``run_worker``) so that peak memory
figures never mix, pinned to one CPU so that latencies are single-core numbers.
A worker prints its result as JSON on its last line of output.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
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
