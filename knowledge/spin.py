"""Detect wording that a machine synonym-rewriter produced.

Rewritten copies of official interviews circulate widely; their quotes are not
the official's own words. We flag such a document (with the evidence) so the
bot can warn, rather than silently quoting "应急办理" as if an official said it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

MIN_DISTINCT_MARKERS = 3


@cache
def _markers() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("knowledge").joinpath("data/spin_markers.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spun, _, official = line.partition("\t")
        table[spun] = official
    return table


def spin_evidence(simplified_text: str) -> list[str]:
    """``应急办理 (×12) instead of 应急管理`` lines, most frequent first."""
    found = []
    for spun, official in _markers().items():
        count = simplified_text.count(spun)
        if count:
            found.append((count, f"{spun} (×{count}) instead of {official}"))
    found.sort(key=lambda item: -item[0])
    return [line for _, line in found]


def is_spun(evidence: list[str]) -> bool:
    return len(evidence) >= MIN_DISTINCT_MARKERS
