"""The README's two commands, setup included: `python3 tasks.py run` and `python3 tasks.py test`.

Only Python 3.11+ and pip are assumed. A private virtual environment in .venv is
created on first use and re-synced whenever pyproject.toml changes, so a fresh
clone needs nothing else.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and (BIN / "interview-bot").exists():
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing dependencies into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run_bot(extra: list[str]) -> int:
    ensure_environment()
    return subprocess.call([str(BIN / "interview-bot"), "run", *extra], cwd=ROOT)


def run_tests(extra: list[str]) -> int:
    ensure_environment()
    steps = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "mypy")],
        [str(BIN / "python"), "-m", "pytest", *extra],
    ]
    for step in steps:
        print(
            "$",
            " ".join(Path(step[0]).name if i == 0 else part for i, part in enumerate(step)),
            flush=True,
        )
        code = subprocess.call(step, cwd=ROOT)
        if code != 0:
            return code
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "setup"}:
        print("usage: python3 tasks.py run | test [pytest args] | setup", file=sys.stderr)
        return 2
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        ensure_environment()
        return 0
    return run_bot(extra) if command == "run" else run_tests(extra)


if __name__ == "__main__":
    sys.exit(main())
