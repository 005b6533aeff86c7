"""Candidate generation: BM25 over character bigrams, in numpy.

The index sees text that is already normalised (Simplified, lower case,
punctuation replaced by single spaces). Every pair of adjacent non-space
characters is a token; spaces break bigrams. A text without any such pair (one
character, or only characters standing alone between spaces) is indexed by its
characters instead, so ``"火"`` is a token of the passage ``"火"``.

Layout (all numpy, saved as one ``.npy`` per array and loaded memory-mapped):

- ``vocab``: sorted unique ``uint64`` token codes, ``first << 21 | second`` for a
  bigram and ``char << 21 | 0x1FFFFF`` for a lone character (no code point is 0x1FFFFF).
- ``offsets`` (``int64``, ``len(vocab) + 1``): CSR row pointers into the postings.
- ``docs`` (``int32``): passage positions, ascending within each token's postings.
- ``weights`` (``float16``): the whole BM25 term score of the posting,
  ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``, so a query only
  adds postings up. Half precision keeps a posting at 6 bytes; its rounding
  (relative error under 5e-4) is far below what reorders real candidates, and
  adding it is faster than recomputing the score from a stored tf.
- ``keys`` (``int64``): the caller's passage key per position; ``lengths`` (``int32``).

Scoring is Lucene's BM25: ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` summed
over the query's *distinct* tokens present in a passage. Tokens found in more
than ``max_df`` of all passages (and more than ``DEFER_MIN_DF``) are deferred
when the query has rarer ones:
they do not pick candidates, but they are added exactly to the scores of a
pool of the best ``POOL`` candidates, so every returned score is exact BM25.

A one-character query (or one of lone characters) matches every passage that
contains the character: its score sums the BM25 of the indexed tokens that
contain it. ``search`` is safe to call from several threads at once.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from knowledge.errors import KnowledgeError

logger = logging.getLogger(__name__)

Codes = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]

FORMAT: Final = 1
DEFAULT_MAX_DF: Final = 0.1  # see benchmarks/bench_index.py for the recall it keeps
POOL: Final = 1000  # candidates re-scored with the deferred tokens
KEEP: Final = 2  # the rarest tokens of a query are never deferred
DEFER_MIN_DF: Final = 20_000  # shorter postings cost too little to be worth deferring
CHUNK_CHARS: Final = 500_000  # characters tokenised at once while building: caps its scratch memory
_GATHER: Final = 4_000_000  # postings gathered at once for a one-character query

_SHIFT: Final = 21
_LONE: Final = (1 << _SHIFT) - 1  # low bits of a lone-character token
_DOC_BITS: Final = 22  # a chunk's local passage number inside a sort key
_FILES: Final = ("vocab", "offsets", "docs", "weights", "keys", "lengths")


class IndexFileError(KnowledgeError):
    """A saved index is missing, incomplete or of another format version."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One candidate passage: its key, BM25 score, and idf-weighted share of the query found."""

    key: int
    score: float
    coverage: float


# --- tokenising -------------------------------------------------------------------


def _codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _is_space(cps: npt.NDArray[np.uint32]) -> Mask:
    space: Mask = (cps <= 0x20) | (cps == 0x3000)
    return space


def _tokens(
    cps: npt.NDArray[np.uint32], doc: npt.NDArray[np.int32], n_docs: int
) -> tuple[Codes, npt.NDArray[np.int32]]:
    """Token codes and their passage numbers for texts joined by spaces.

    ``doc[i]`` is the passage of character ``i``; separators may carry either neighbour's.
    """
    space = _is_space(cps)
    solid = ~space
    pair = solid[:-1] & solid[1:]
    codes = cps[:-1].astype(np.uint64)
    codes <<= np.uint64(_SHIFT)
    codes |= cps[1:]
    codes = codes[pair]
    docs = doc[:-1][pair]
    has_pair = np.zeros(n_docs, dtype=bool)
    has_pair[docs] = True
    lone = solid & ~has_pair[doc]
    if lone.any():
        lone_codes = cps[lone].astype(np.uint64) << np.uint64(_SHIFT) | np.uint64(_LONE)
        codes = np.concatenate((codes, lone_codes))
        docs = np.concatenate((docs, doc[lone]))
    return codes, docs


def _query_codes(query: str) -> tuple[Codes, bool]:
    """Distinct token codes of a query, and whether they are lone characters."""
    cps = _codepoints(query)
    codes, _ = _tokens(cps, np.zeros(cps.size, dtype=np.int32), 1)
    unique = np.unique(codes)
    lone = bool(unique.size) and bool((unique[0] & np.uint64(_LONE)) == _LONE)
    return unique, lone


def _token_text(code: int) -> str:
    first, second = code >> _SHIFT, code & _LONE
    return chr(first) if second == _LONE else chr(first) + chr(second)


def _idf(df: Ints, n: int) -> npt.NDArray[np.float64]:
    """Lucene's BM25 idf, always positive."""
    d = df.astype(np.float64)
    result: npt.NDArray[np.float64] = np.log1p((n - d + 0.5) / (d + 0.5))
    return result


def _idf_of(df: int, n: int) -> float:
    """The idf of one token; a token no passage has (``df == 0``) gets the largest there is."""
    return math.log1p((n - df + 0.5) / (df + 0.5))


# --- building ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """One chunk's postings, grouped by token: the unit the build merges."""

    vocab: Codes
    counts: Ints
    docs: npt.NDArray[np.int32]
    tf: npt.NDArray[np.uint16]


def _chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text) + 1
        if size >= CHUNK_CHARS or len(chunk) >= (1 << _DOC_BITS) - 1:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _run_starts(values: Codes) -> Ints:
    """Where each run of equal values begins in a sorted array."""
    change = np.empty(values.size, dtype=bool)
    change[:1] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    return np.flatnonzero(change)


def _run(texts: list[str], first: int) -> tuple[_Run, npt.NDArray[np.int32]]:
    """Tokenise a chunk, count tf per (token, passage): the run and its passage lengths."""
    n = len(texts)
    cps = _codepoints(" ".join(texts))
    sizes = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=n)
    doc = np.repeat(np.arange(n, dtype=np.int32), sizes)[: cps.size]
    codes, docs = _tokens(cps, doc, n)
    del cps, doc
    lengths = np.bincount(docs, minlength=n).astype(np.int32)
    keys = codes
    keys <<= np.uint64(_DOC_BITS)
    keys |= docs.astype(np.uint64)
    del docs
    keys.sort()
    starts = _run_starts(keys)
    tf = np.diff(np.append(starts, keys.size))
    keys = keys[starts]
    local = (keys & np.uint64((1 << _DOC_BITS) - 1)).astype(np.int32)
    keys >>= np.uint64(_DOC_BITS)
    term_starts = _run_starts(keys)
    vocab = keys[term_starts]
    counts = np.diff(np.append(term_starts, keys.size))
    local += first
    run = _Run(vocab, counts, local, np.minimum(tf, 0xFFFF).astype(np.uint16))
    return run, lengths


class _Runs:
    """Runs kept in memory while there is one, spilled to a temporary folder beyond that."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._runs: list[_Run | Path] = []
        self.vocab: Codes = np.zeros(0, dtype=np.uint64)

    def add(self, run: _Run) -> None:
        self.vocab = np.union1d(self.vocab, run.vocab) if self._runs else run.vocab
        self._runs.append(run)
        if len(self._runs) > 1:
            self._runs = [
                self._spill(r, i) if isinstance(r, _Run) else r for i, r in enumerate(self._runs)
            ]

    def _spill(self, run: _Run, number: int) -> Path:
        path = self._folder / f"run{number}"
        path.mkdir()
        for name in ("vocab", "counts", "docs", "tf"):
            np.save(path / f"{name}.npy", getattr(run, name))
        return path

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[_Run]:
        for item in self._runs:
            if isinstance(item, _Run):
                yield item
            else:
                arrays = {
                    n: np.load(item / f"{n}.npy", mmap_mode="r")
                    for n in ("vocab", "counts", "docs", "tf")
                }
                yield _Run(**arrays)


def _merge(
    runs: _Runs, lengths: npt.NDArray[np.int32], k1: float, b: float
) -> tuple[Codes, Ints, npt.NDArray[np.int32], npt.NDArray[np.float16]]:
    """One CSR index from sorted runs: postings grouped by token, passages ascending."""
    vocab = runs.vocab
    df = np.zeros(vocab.size, dtype=np.int64)
    for run in runs:
        df[np.searchsorted(vocab, run.vocab)] += run.counts
    offsets = np.zeros(vocab.size + 1, dtype=np.int64)
    np.cumsum(df, out=offsets[1:])
    del df
    avgdl = float(lengths.mean()) if lengths.size and lengths.any() else 1.0
    norm = (k1 * (1.0 - b + b * lengths / avgdl)).astype(np.float32)
    idf = _idf(np.diff(offsets), lengths.size).astype(np.float32)
    total = int(offsets[-1])
    docs = np.empty(total, dtype=np.int32)
    weights = np.empty(total, dtype=np.float16)
    fill = offsets[:-1].copy()
    for run in runs:
        rows = np.searchsorted(vocab, run.vocab)
        run_docs = np.asarray(run.docs)
        counts = np.asarray(run.counts)
        tf = np.asarray(run.tf).astype(np.float32)
        w = np.repeat(idf[rows], counts) * tf * np.float32(k1 + 1.0) / (tf + norm[run_docs])
        if len(runs) == 1:
            docs[:], weights[:] = run_docs, w
            break
        first = np.cumsum(counts) - counts
        dest = np.repeat(fill[rows] - first, counts) + np.arange(run_docs.size)
        docs[dest] = run_docs
        weights[dest] = w
        fill[rows] += counts
    return vocab, offsets, docs, weights


# --- the index --------------------------------------------------------------------


class BigramIndex:
    """BM25 over character bigrams of normalised passages; positions follow build order."""

    def __init__(
        self,
        *,
        vocab: Codes,
        offsets: Ints,
        docs: npt.NDArray[np.int32],
        weights: npt.NDArray[np.float16],
        keys: Ints,
        lengths: npt.NDArray[np.int32],
        k1: float,
        b: float,
    ) -> None:
        self._vocab = vocab
        self._offsets = offsets
        self._docs = docs
        self._weights = weights
        self._keys = keys
        self._lengths = lengths
        self.k1 = k1
        self.b = b
        self._n = int(keys.size)
        for array in (vocab, offsets, docs, weights, keys, lengths):
            array.flags.writeable = False
        self._key_order: Ints | None = None
        self._sorted_keys = bool(self._n < 2 or np.all(keys[1:] > keys[:-1]))
        self._local = threading.local()

    # building and files

    @classmethod
    def build(
        cls,
        keys: Sequence[int] | npt.NDArray[np.integer[Any]],
        texts: Iterable[str],
        *,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> BigramIndex:
        """Index ``texts`` (consumed once, in chunks); ``keys[i]`` is the key of ``texts[i]``."""
        key_array = np.array(keys, dtype=np.int64).reshape(-1)
        if np.unique(key_array).size != key_array.size:
            raise ValueError("passage keys must be unique")
        lengths: list[npt.NDArray[np.int32]] = []
        count = 0
        with tempfile.TemporaryDirectory(prefix="bigram-index-") as spill:
            runs = _Runs(Path(spill))
            for chunk in _chunks(texts):
                run, chunk_lengths = _run(chunk, count)
                runs.add(run)
                lengths.append(chunk_lengths)
                count += len(chunk)
                del run
            if count != key_array.size:
                raise ValueError(f"{key_array.size} keys for {count} texts")
            all_lengths = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int32)
            vocab, offsets, docs, weights = _merge(runs, all_lengths, k1, b)
        index = cls(
            vocab=vocab,
            offsets=offsets,
            docs=docs,
            weights=weights,
            keys=key_array,
            lengths=all_lengths,
            k1=k1,
            b=b,
        )
        logger.info("built %r", index)
        return index

    def save(self, path: Path) -> None:
        """Write a folder of ``.npy`` files and ``meta.json``; replaces ``path`` atomically."""
        path = Path(path)
        staging = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=path.parent))
        try:
            for name in _FILES:
                np.save(staging / f"{name}.npy", getattr(self, "_" + name))
            meta = {"format": FORMAT, "k1": self.k1, "b": self.b, "passages": self._n}
            (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            old = path.with_name(path.name + ".old")
            if path.exists():
                os.replace(path, old)
            os.replace(staging, path)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(cls, path: Path) -> BigramIndex:
        """Open a saved index memory-mapped: fast start, pages shared between processes."""
        path = Path(path)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                raise IndexFileError(
                    f"{path}: index format {meta.get('format')}, expected {FORMAT}"
                )
            arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in _FILES}
        except (OSError, ValueError) as error:
            raise IndexFileError(f"{path}: cannot read index: {error}") from error
        arrays = {name: array.view(np.ndarray) for name, array in arrays.items()}
        n = int(meta["passages"])
        if (
            arrays["keys"].size != n
            or arrays["lengths"].size != n
            or (
                arrays["offsets"].size != arrays["vocab"].size + 1
                or arrays["docs"].size != arrays["weights"].size
                or int(arrays["offsets"][-1]) != arrays["docs"].size
            )
        ):
            raise IndexFileError(f"{path}: index arrays do not fit together")
        return cls(k1=float(meta["k1"]), b=float(meta["b"]), **arrays)

    # what the ranker maps back with

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return (
            f"BigramIndex(passages={self._n}, tokens={self._vocab.size}, "
            f"postings={self._docs.size}, bytes={self.nbytes})"
        )

    @property
    def nbytes(self) -> int:
        return sum(int(getattr(self, "_" + name).nbytes) for name in _FILES)

    @property
    def keys(self) -> Ints:
        """Passage key per position (read-only)."""
        return self._keys

    @property
    def lengths(self) -> npt.NDArray[np.int32]:
        """Number of tokens per position (read-only)."""
        return self._lengths

    def positions(self, keys: Sequence[int] | npt.NDArray[np.integer[Any]]) -> Ints:
        """Position of each key, -1 for keys not in the index."""
        wanted = np.asarray(keys, dtype=np.int64).reshape(-1)
        if self._n == 0:
            return np.full(wanted.size, -1, dtype=np.int64)
        if self._sorted_keys:
            order = None
            ordered = self._keys
        else:
            if self._key_order is None:
                self._key_order = np.argsort(self._keys, kind="stable")
            order = self._key_order
            ordered = self._keys[order]
        at = np.minimum(np.searchsorted(ordered, wanted), self._n - 1)
        found = ordered[at] == wanted
        result = at if order is None else order[at]
        return np.where(found, result, -1).astype(np.int64)

    def position_of(self, key: int) -> int | None:
        position = int(self.positions([key])[0])
        return None if position < 0 else position

    def mask(self, keys: Sequence[int] | npt.NDArray[np.integer[Any]]) -> Mask:
        """The ``allowed`` mask for ``search`` that admits exactly these keys."""
        allowed = np.zeros(self._n, dtype=bool)
        positions = self.positions(keys)
        allowed[positions[positions >= 0]] = True
        return allowed

    # querying

    def idf(self, query: str) -> dict[str, float]:
        """idf of each distinct query token; 0.0 for tokens the index has never seen."""
        codes, lone = _query_codes(query)
        result: dict[str, float] = {}
        for code in codes.tolist():
            if lone:
                df = int(np.count_nonzero(self._char_scores(code)[1])) if self._n else 0
            else:
                row = self._row(code)
                df = 0 if row < 0 else int(self._offsets[row + 1] - self._offsets[row])
            result[_token_text(code)] = _idf_of(df, self._n) if df else 0.0
        return result

    def search(
        self,
        query: str,
        k: int = 50,
        *,
        allowed: Mask | None = None,
        max_df: float = DEFAULT_MAX_DF,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first (ties: build order).

        ``allowed`` is a boolean mask over positions (build order), e.g. from
        ``mask(keys)``; only passages where it is True are returned. Tokens the
        index does not know are ignored by the score but lower the coverage,
        as if each were a token no passage has. ``max_df=1.0`` defers nothing.
        """
        if allowed is not None and (allowed.dtype != np.bool_ or allowed.shape != (self._n,)):
            raise ValueError(f"allowed must be a boolean mask of shape ({self._n},)")
        codes, lone = _query_codes(query)
        if k <= 0 or self._n == 0 or codes.size == 0:
            return []
        if lone:
            return self._search_chars(codes, k, allowed)
        return self._search_bigrams(codes, k, allowed, max_df)

    def _row(self, code: int) -> int:
        row = int(np.searchsorted(self._vocab, np.uint64(code)))
        return row if row < self._vocab.size and int(self._vocab[row]) == code else -1

    def _scratch(self) -> Floats:
        """A zeroed per-thread score array; callers must zero it again when done."""
        scores: Floats | None = getattr(self._local, "scores", None)
        if scores is None:
            scores = np.zeros(self._n, dtype=np.float32)
            self._local.scores = scores
        return scores

    def _top(self, scores: Floats, size: int, allowed: Mask | None) -> Ints:
        """Positions of the ``size`` best positive scores, in no particular order.

        Selecting among the positive scores only matters: ``argpartition`` over
        an array that is mostly zeros degenerates (100 ms at a million passages),
        and ``flatnonzero`` is much faster on a boolean array than on floats.
        """
        hit = scores > 0
        if allowed is not None:
            hit &= allowed
        candidates = np.flatnonzero(hit)
        if size < candidates.size:
            cut = candidates.size - size
            candidates = candidates[np.argpartition(scores[candidates], cut)[cut:]]
        return candidates

    def _search_bigrams(
        self, codes: Codes, k: int, allowed: Mask | None, max_df: float
    ) -> list[Hit]:
        n = self._n
        rows = np.searchsorted(self._vocab, codes)
        known = rows < self._vocab.size
        known[known] = self._vocab[rows[known]] == codes[known]
        rows = rows[known]
        if rows.size == 0:
            return []
        lo, hi = self._offsets[rows], self._offsets[rows + 1]
        df = hi - lo
        idf = _idf(df, n)
        deferred = np.zeros(rows.size, dtype=bool)
        common = np.argsort(df, kind="stable")[KEEP:]
        deferred[common] = df[common] > max(max_df * n, DEFER_MIN_DF)
        terms = list(zip(lo.tolist(), hi.tolist(), idf.tolist(), deferred.tolist(), strict=True))

        scores = self._scratch()
        try:
            for start, stop, _, later in terms:
                if not later:
                    scores[self._docs[start:stop]] += self._weights[start:stop]
            pool = self._top(scores, max(k, POOL) if deferred.any() else k, allowed)
            pool_scores = scores[pool]
        finally:
            scores.fill(0.0)

        for start, stop, _, later in terms:
            if later:
                docs = self._docs[start:stop]
                at = np.minimum(np.searchsorted(docs, pool), docs.size - 1)
                present = docs[at] == pool
                pool_scores += np.where(present, self._weights[start:stop][at], np.float32(0.0))
        # Coverage only for the k returned: the pool can be a hundred times larger.
        best = np.lexsort((pool, -pool_scores))[:k]
        top, top_scores = pool[best], pool_scores[best]
        covered = np.zeros(top.size, dtype=np.float64)
        total = 0.0
        for start, stop, weight, _ in terms:
            docs = self._docs[start:stop]
            at = np.minimum(np.searchsorted(docs, top), docs.size - 1)
            covered += np.where(docs[at] == top, weight, 0.0)
            total += weight
        total += (codes.size - rows.size) * _idf_of(0, n)
        return self._hits(top, top_scores, covered / total, k)

    def _char_scores(self, code: int) -> tuple[Floats, Mask]:
        """BM25 summed over every token containing the character, and which passages have one."""
        char = code >> _SHIFT
        begin = int(np.searchsorted(self._vocab, np.uint64(char << _SHIFT)))
        end = int(np.searchsorted(self._vocab, np.uint64((char + 1) << _SHIFT)))
        ending = np.flatnonzero((self._vocab & np.uint64(_LONE)) == char)
        rows = np.union1d(np.arange(begin, end), ending)
        lo, hi = self._offsets[rows], self._offsets[rows + 1]
        scores = np.zeros(self._n, dtype=np.float64)
        found = np.zeros(self._n, dtype=bool)
        # Gather postings in batches of about _GATHER, so a common character stays bounded.
        ends = np.cumsum(hi - lo)
        start = 0
        while start < rows.size:
            base = int(ends[start - 1]) if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + _GATHER, side="right")))
            counts = hi[start:stop] - lo[start:stop]
            first = np.cumsum(counts) - counts
            at = np.repeat(lo[start:stop] - first, counts) + np.arange(int(counts.sum()))
            docs = self._docs[at]
            scores += np.bincount(docs, weights=self._weights[at], minlength=self._n)
            found[docs] = True
            start = stop
        return scores.astype(np.float32), found

    def _search_chars(self, codes: Codes, k: int, allowed: Mask | None) -> list[Hit]:
        scores = np.zeros(self._n, dtype=np.float32)
        found: list[tuple[float, Mask]] = []
        for code in codes.tolist():
            char_scores, present = self._char_scores(code)
            df = int(np.count_nonzero(present))
            found.append((_idf_of(df, self._n), present))
            scores += char_scores
        pool = self._top(scores, k, allowed)
        covered = np.zeros(pool.size, dtype=np.float64)
        total = 0.0
        for weight, present in found:
            covered += np.where(present[pool], weight, 0.0)
            total += weight
        return self._hits(pool, scores[pool], covered / total, k)

    def _hits(
        self, pool: Ints, scores: Floats, coverage: npt.NDArray[np.float64], k: int
    ) -> list[Hit]:
        best = np.lexsort((pool, -scores))[:k]
        keys = self._keys[pool[best]].tolist()
        return [
            Hit(key=int(key), score=float(score), coverage=min(1.0, float(cov)))
            for key, score, cov in zip(
                keys, scores[best].tolist(), coverage[best].tolist(), strict=True
            )
        ]
