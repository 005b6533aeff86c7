"""Fit the confidence model of ``knowledge.ranking`` on the evaluation set.

    python -m benchmarks.calibrate [--folds 5] [--l2 0.3] [--set QUESTIONS:CORPUS ...]

Without ``--set`` the questions are the seed set over ``seeds/``; each ``--set`` adds a
question file and the folder of interviews it asks about, and the figures are printed
per set as well.

Every candidate paragraph the searcher considers for an evaluation question is a
sample: positive when it belongs to an accepted answer turn, negative otherwise
(every candidate of an out-of-scope question is negative). A logistic model over
``ranking.FEATURES`` is fitted by gradient descent with an L2 penalty. The script
prints cross-validated figures (folds split by question, so a question never
grades the model that saw it) and then the weights fitted on all questions, as
Python to paste into ``knowledge/ranking.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.evaluate import QUESTIONS, SEEDS, load_questions  # noqa: E402
from knowledge.engine import KnowledgeBase  # noqa: E402
from knowledge.ranking import (  # noqa: E402
    CONFIDENCE_FEATURES,
    FEATURES,
    NO_RIVAL_LEAD,
    RANK_WEIGHTS,
    confidence_inputs,
)

FIT_RANK = False
DECLINE_TARGET = 0.95  # out-of-scope questions declined, as the issue asks
MARGIN = 2.0  # points between the threshold and the out-of-scope scores it must stay above


@dataclass
class Sample:
    question: int
    turn_key: tuple[str, int]
    features: np.ndarray
    label: float


@dataclass
class Question:
    expect: str
    good: set[tuple[str, int]]
    set_name: str = "seeds"


async def collect(
    sets: list[tuple[Path, Path]],
) -> tuple[list[Question], list[Sample]]:
    questions: list[Question] = []
    samples: list[Sample] = []
    for question_file, corpus in sets:
        await _collect_set(question_file, corpus, questions, samples)
    return questions, samples


async def _collect_set(
    question_file: Path, corpus: Path, questions: list[Question], samples: list[Sample]
) -> None:
    set_name = question_file.parent.name if question_file != QUESTIONS else "seeds"
    if question_file.stem != "questions":
        set_name = question_file.stem
    with tempfile.TemporaryDirectory() as folder:
        async with await KnowledgeBase.open(Path(folder) / "c.sqlite3", seeds_dir=corpus) as kb:
            searcher = kb._searcher
            for item in load_questions(question_file):
                if item["expect"] not in ("answer", "decline"):
                    continue
                interview = str(item["interview"])
                good = (
                    {(interview, int(item["turn"]))}  # type: ignore[call-overload]
                    | {(interview, int(t)) for t in item.get("also_ok") or []}  # type: ignore[attr-defined]
                    if item["expect"] == "answer"
                    else set()
                )
                number = len(questions)
                questions.append(Question(str(item["expect"]), good, set_name))
                plan = searcher.plan(str(item["q"]))
                if plan.chitchat or plan.english_unmatched:
                    continue
                for _, interview_no, turn, features in searcher.explain(plan):
                    key = (searcher.interview_id(interview_no), turn)
                    samples.append(Sample(number, key, np.asarray(features), float(key in good)))


def fit(
    x: np.ndarray,
    y: np.ndarray,
    l2: float,
    *,
    balanced: bool = True,
    with_bias: bool = True,
    steps: int = 4000,
) -> np.ndarray:
    """Weights of an L2-penalised logistic regression (bias first when ``with_bias``)."""
    design = np.c_[np.ones(len(x)), x] if with_bias else x
    weights = np.zeros(design.shape[1])
    positive = max(y.sum(), 1.0)
    balance = (
        np.where(y > 0, len(y) / (2 * positive), len(y) / (2 * max(len(y) - positive, 1)))
        if balanced
        else np.ones(len(y))
    )
    rate = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ weights))
        penalty = np.r_[0, weights[1:]] if with_bias else weights
        gradient = design.T @ ((p - y) * balance) / len(y) + l2 * penalty / len(y)
        weights -= rate * gradient
    return weights


def tops(samples: list[Sample], rank_weights: np.ndarray) -> dict[int, Top]:
    """Per question: the best turn under ``rank_weights``, its rank score and its lead."""
    turns: dict[int, dict[tuple[str, int], tuple[float, np.ndarray]]] = {}
    for sample in samples:
        value = float(rank_weights @ sample.features)
        best = turns.setdefault(sample.question, {})
        if sample.turn_key not in best or value > best[sample.turn_key][0]:
            best[sample.turn_key] = (value, sample.features)
    result = {}
    for number, best in turns.items():
        order = sorted(best.items(), key=lambda item: -item[1][0])
        (key, (value, features)) = order[0]
        lead = value - order[1][1][0] if len(order) > 1 else NO_RIVAL_LEAD
        result[number] = Top(key, np.asarray(confidence_inputs(value, lead, list(features))))
    return result


@dataclass
class Top:
    turn_key: tuple[str, int]
    inputs: np.ndarray  # ranking.confidence_inputs of the best turn

    def features(self) -> np.ndarray:
        return self.inputs


def fit_confidence(questions: list[Question], top: dict[int, Top]) -> np.ndarray:
    numbers = sorted(top)
    x = np.stack([top[n].features() for n in numbers])
    y = np.asarray([float(top[n].turn_key in questions[n].good) for n in numbers])
    return fit(x, y, 0.1, balanced=False)


def judge(
    questions: list[Question], top: dict[int, Top], model: np.ndarray, threshold: float
) -> tuple[float, float, int]:
    """(R@1, out-of-scope decline rate, wrong answers) at a threshold."""
    hits = declined = wrong = answerable = out_of_scope = 0
    for number, question in enumerate(questions):
        best = top.get(number)
        score = 0.0
        if best is not None:
            score = 100 / (1 + np.exp(-(model[0] + model[1:] @ best.features())))
        answered = best is not None and score >= threshold
        if question.expect == "answer":
            answerable += 1
            if answered and best is not None and best.turn_key in question.good:
                hits += 1
            elif answered:
                wrong += 1
        else:
            out_of_scope += 1
            declined += not answered
    return hits / max(answerable, 1), declined / max(out_of_scope, 1), wrong


def best_threshold(questions: list[Question], top: dict[int, Top], model: np.ndarray) -> float:
    """The threshold with the most right answers that still declines enough out-of-scope
    questions, with MARGIN points to spare: the lowest threshold that meets the target
    exactly sits on one out-of-scope score, and the next such question lands above it."""
    choices = []
    for threshold in np.arange(5, 96, 1.0):
        r1, _, _ = judge(questions, top, model, threshold)
        _, decline, _ = judge(questions, top, model, threshold - MARGIN)
        if decline >= DECLINE_TARGET:
            choices.append((r1, -threshold, threshold))
    return max(choices)[2] if choices else 95.0


def train(
    questions: list[Question], samples: list[Sample], l2: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Rank weights, confidence model and threshold fitted on these questions.

    The rank weights are ranking.RANK_WEIGHTS unless ``--fit-rank`` asks to fit them too.
    """
    rank_weights = np.asarray(RANK_WEIGHTS)
    if FIT_RANK:
        x = np.stack([s.features for s in samples])
        y = np.asarray([s.label for s in samples])
        rank_weights = fit(x, y, l2, with_bias=False)
    top = tops(samples, rank_weights)
    model = fit_confidence(questions, top)
    return rank_weights, model, best_threshold(questions, top, model)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--fit-rank", action="store_true", help="fit RANK_WEIGHTS as well")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="QUESTIONS:CORPUS",
        help="a question file and its interview folder (repeat; default: the seed set)",
    )
    args = parser.parse_args()
    global FIT_RANK
    FIT_RANK = args.fit_rank
    sets = [(Path(q), Path(c)) for q, _, c in (item.partition(":") for item in args.set)]
    questions, samples = asyncio.run(collect(sets or [(QUESTIONS, SEEDS)]))
    print(f"{len(questions)} questions, {len(samples)} candidates")

    fold_of = np.arange(len(questions)) % args.folds
    totals = np.zeros(3)
    for fold in range(args.folds):
        inside = [q for n, q in enumerate(questions) if fold_of[n] == fold]
        outside = [q for n, q in enumerate(questions) if fold_of[n] != fold]
        rank_weights, model, threshold = train(
            outside, _renumber(samples, fold_of, fold, False), args.l2
        )
        held_out = _renumber(samples, fold_of, fold, True)
        result = judge(inside, tops(held_out, rank_weights), model, threshold)
        totals += result
        print(
            f"fold {fold}: threshold {threshold:.0f}  R@1 {result[0]:.3f}  "
            f"declined {result[1]:.3f}  wrong {result[2]}"
        )
    print(
        f"cross-validated: R@1 {totals[0] / args.folds:.3f}  "
        f"declined {totals[1] / args.folds:.3f}  wrong answers {int(totals[2])}"
    )

    rank_weights, model, threshold = train(questions, samples, args.l2)
    r1, decline, wrong = judge(questions, tops(samples, rank_weights), model, threshold)
    print(
        f"all questions: threshold {threshold:.0f}  R@1 {r1:.3f}  "
        f"declined {decline:.3f}  wrong {wrong}"
    )
    top = tops(samples, rank_weights)
    for set_name in dict.fromkeys(q.set_name for q in questions):
        numbers = [n for n, q in enumerate(questions) if q.set_name == set_name]
        inside = [questions[n] for n in numbers]
        position = {n: i for i, n in enumerate(numbers)}
        r1, decline, wrong = judge(
            inside, {position[n]: t for n, t in top.items() if n in position}, model, threshold
        )
        print(f"  {set_name}: R@1 {r1:.3f}  declined {decline:.3f}  wrong {wrong}")
    print("RANK_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in rank_weights) + ")")
    print("# " + ", ".join(FEATURES))
    print("# bias, rank, lead, " + ", ".join(CONFIDENCE_FEATURES))
    print("CONFIDENCE = (" + ", ".join(f"{w:.3f}" for w in model) + ")")
    print(f"DEFAULT_THRESHOLD = {threshold:.1f}")
    return 0


def _renumber(samples: list[Sample], fold_of: np.ndarray, fold: int, inside: bool) -> list[Sample]:
    """The samples of the questions inside (or outside) a fold, numbered within it."""
    numbers = [n for n in range(len(fold_of)) if (fold_of[n] == fold) == inside]
    position = {n: i for i, n in enumerate(numbers)}
    return [
        Sample(position[s.question], s.turn_key, s.features, s.label)
        for s in samples
        if s.question in position
    ]


if __name__ == "__main__":
    sys.exit(main())
