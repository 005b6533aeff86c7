"""BigramIndex: BM25 over character bigrams, checked against a plain implementation."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from knowledge import index as index_module
from knowledge.index import BigramIndex, Hit, IndexFileError

CORPUS = [
    "应急管理厅 整合了 安全生产 防灾减灾 救灾 等 职责",
    "森林 火灾 扑救 以 专业 队伍 为主",
    "危险化学品 企业 安全 风险 排查 整治",
    "台风 暴雨 期间 转移 安置 受灾 群众",
    "地震 应急 预案 修订 与 演练",
]
KEYS = [101, 102, 103, 104, 105]


@pytest.fixture
def index() -> BigramIndex:
    return BigramIndex.build(KEYS, CORPUS)


def keys_of(hits: list[Hit]) -> list[int]:
    return [hit.key for hit in hits]


# A reference written plainly, to hold the numpy version to.


def plain_tokens(text: str) -> list[str]:
    pairs = [word[i : i + 2] for word in text.split() for i in range(len(word) - 1)]
    return pairs or [ch for ch in text if not ch.isspace()]


def plain_bm25(texts: list[str], query: str, k1: float = 1.2, b: float = 0.75) -> dict[int, float]:
    """Score of every passage that shares a token with the query, by position."""
    docs = [Counter(plain_tokens(text)) for text in texts]
    lengths = [sum(doc.values()) for doc in docs]
    avgdl = sum(lengths) / len(lengths) if sum(lengths) else 1.0
    scores: dict[int, float] = {}
    for term in set(plain_tokens(query)):
        df = sum(term in doc for doc in docs)
        if df == 0:
            continue
        idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
        for position, doc in enumerate(docs):
            tf = doc[term]
            if tf:
                norm = k1 * (1 - b + b * lengths[position] / avgdl)
                scores[position] = scores.get(position, 0.0) + idf * tf * (k1 + 1) / (tf + norm)
    return scores


# Ranking


def test_passage_with_the_query_s_rare_bigrams_ranks_first() -> None:
    texts = ["应急管理 安全生产 工作 部署"] * 30 + ["应急管理 危化品 安全生产 工作"]
    index = BigramIndex.build(range(len(texts)), texts)

    hits = index.search("应急管理危化品")

    assert hits[0].key == 30


def test_scores_are_in_descending_order_with_ties_in_build_order() -> None:
    index = BigramIndex.build([7, 3, 5], ["火灾 预防", "火灾 预防", "火灾 扑救 火灾"])

    hits = index.search("火灾")

    assert keys_of(hits) == [5, 7, 3]


def test_spaces_break_bigrams() -> None:
    index = BigramIndex.build([1, 2], ["火灾", "火 灾"])

    assert keys_of(index.search("火灾")) == [1]


def test_one_character_query_finds_passages_containing_that_character() -> None:
    index = BigramIndex.build([1, 2, 3, 4], ["火", "火灾 预防", "森林 起火", "地震 预案"])

    hits = index.search("火")

    assert {1, 2, 3} == set(keys_of(hits))
    assert all(hit.coverage == 1.0 for hit in hits)


def test_one_character_passage_is_indexed_by_its_character() -> None:
    index = BigramIndex.build([1, 2], ["火", "地震"])

    assert {"火": pytest.approx(math.log(1 + 1.5 / 1.5))} == index.idf("火")


def test_query_of_unknown_bigrams_finds_nothing(index: BigramIndex) -> None:
    assert index.search("足球比赛") == []


def test_unknown_bigrams_do_not_change_the_ranking(index: BigramIndex) -> None:
    known = index.search("火灾扑救")

    mixed = index.search("火灾扑救 足球")

    assert keys_of(known) == keys_of(mixed)
    assert [h.score for h in known] == [h.score for h in mixed]


def test_idf_is_zero_for_unknown_bigrams(index: BigramIndex) -> None:
    idf = index.idf("火灾足球")

    assert idf["足球"] == 0.0
    assert idf["火灾"] > 0.0


@pytest.mark.parametrize("query", ["", " ", "   ", "\u3000"])
def test_empty_query_finds_nothing(index: BigramIndex, query: str) -> None:
    assert index.search(query) == []


def test_k_limits_the_number_of_results(index: BigramIndex) -> None:
    assert len(index.search("安全", k=1)) == 1
    assert index.search("安全", k=0) == []


# Filtering and coverage


def test_allowed_mask_restricts_results(index: BigramIndex) -> None:
    allowed = index.mask([103, 105])

    hits = index.search("安全 风险 应急", allowed=allowed)

    assert {103, 105} == set(keys_of(hits))
    assert {101, 103, 105} == set(keys_of(index.search("安全 风险 应急")))


def test_allowed_mask_of_the_wrong_shape_is_refused(index: BigramIndex) -> None:
    with pytest.raises(ValueError, match="boolean mask"):
        index.search("安全", allowed=np.ones(len(index) + 1, dtype=bool))


def test_coverage_is_one_when_every_query_bigram_is_present(index: BigramIndex) -> None:
    hits = index.search("森林火灾")

    by_key = {hit.key: hit.coverage for hit in hits}
    assert index.search("火灾 扑救")[0].coverage == 1.0
    assert 0.0 < by_key[102] < 1.0  # 林火 crosses a space in the passage


def test_coverage_counts_unknown_bigrams_as_missing(index: BigramIndex) -> None:
    hit = index.search("火灾足球")[0]

    assert hit.key == 102
    assert 0.0 < hit.coverage < 0.5


# Files, keys, sizes


def test_save_then_load_gives_identical_results(index: BigramIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "index")

    loaded = BigramIndex.load(tmp_path / "index")

    for query in ["火灾", "安全风险", "应急预案演练", "火", "足球"]:
        assert index.search(query) == loaded.search(query)
    assert index.idf("安全风险") == loaded.idf("安全风险")
    assert index.keys.tolist() == loaded.keys.tolist()


def test_save_replaces_an_existing_index(index: BigramIndex, tmp_path: Path) -> None:
    BigramIndex.build([9], ["台风 预警"]).save(tmp_path / "index")

    index.save(tmp_path / "index")

    assert len(index) == len(BigramIndex.load(tmp_path / "index"))
    assert [p.name for p in tmp_path.iterdir()] == ["index"]


def test_loading_a_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexFileError, match="cannot read index"):
        BigramIndex.load(tmp_path / "nowhere")


def test_position_of_maps_a_key_to_its_build_position() -> None:
    index = BigramIndex.build([30, 10, 20], ["火灾 预防", "地震", "台风"])

    assert [index.position_of(k) for k in (30, 10, 20, 99)] == [0, 1, 2, None]


def test_keys_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        BigramIndex.build([1, 1], ["火灾", "地震"])


def test_keys_must_match_the_texts_in_number() -> None:
    with pytest.raises(ValueError, match="2 keys for 3 texts"):
        BigramIndex.build([1, 2], ["火灾", "地震", "台风"])


def test_build_on_zero_texts_gives_an_index_that_finds_nothing() -> None:
    index = BigramIndex.build([], [])

    assert len(index) == 0
    assert index.search("火灾") == []
    assert index.search("火") == []
    assert index.idf("火灾") == {"火灾": 0.0}


def test_build_in_many_chunks_equals_build_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"{a} {b}" for a in CORPUS for b in reversed(CORPUS)]
    whole = BigramIndex.build(range(len(texts)), texts)
    monkeypatch.setattr(index_module, "CHUNK_CHARS", 50)

    chunked = BigramIndex.build(range(len(texts)), iter(texts))

    for query in ["安全风险", "火灾", "应急预案演练", "转移安置受灾群众"]:
        assert whole.search(query, k=100) == chunked.search(query, k=100)


# Agreement with the plain reference

texts_strategy = st.lists(
    st.text(alphabet="ab火灾 ", min_size=0, max_size=12), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(texts=texts_strategy, query=st.text(alphabet="ab火灾c ", min_size=2, max_size=8))
def test_scores_agree_with_a_plain_bm25(texts: list[str], query: str) -> None:
    assume(any(len(word) > 1 for word in query.split()))
    expected = plain_bm25(texts, query)

    hits = BigramIndex.build(range(len(texts)), texts).search(query, k=len(texts), max_df=1.0)

    assert {hit.key: hit.score for hit in hits} == pytest.approx(expected, rel=1e-3)


@settings(max_examples=100, deadline=None)
@given(texts=texts_strategy, query=st.text(alphabet="ab火灾c ", min_size=2, max_size=8))
def test_deferring_common_bigrams_keeps_returned_scores_exact(texts: list[str], query: str) -> None:
    assume(any(len(word) > 1 for word in query.split()))
    expected = plain_bm25(texts, query)
    index = BigramIndex.build(range(len(texts)), texts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "DEFER_MIN_DF", 0)
        hits = index.search(query, max_df=0.0)

    assert {h.key: h.score for h in hits} == pytest.approx(
        {h.key: expected[h.key] for h in hits}, rel=1e-3
    )
