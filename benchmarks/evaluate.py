"""Answer quality on the evaluation set: R@1, R@3, MRR, declines, small talk, and every miss.

    python benchmarks/evaluate.py [--threshold T] [--questions FILE] [--corpus DIR] [--misses]

Builds a fresh store from seeds/ in a temporary folder, asks every question of
benchmarks/eval/questions.jsonl through the real engine and scores the answers
by the rules in benchmarks/eval/README.md. ``tests/knowledge/test_evaluation.py``
keeps these figures from regressing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.engine import KnowledgeBase  # noqa: E402
from knowledge.models import Answer  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "eval" / "questions.jsonl"
SEEDS = ROOT / "seeds"


@dataclass
class Report:
    answerable: int = 0
    hit_at_1: int = 0
    hit_at_3: int = 0
    reciprocal_rank: float = 0.0
    quote_checks: int = 0
    quote_hits: int = 0
    out_of_scope: int = 0
    declined: int = 0
    chitchat: int = 0
    chitchat_recognised: int = 0
    wrong_answers: int = 0  # answerable questions answered with a wrong turn on top
    by_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)

    @property
    def r_at_1(self) -> float:
        return self.hit_at_1 / max(self.answerable, 1)

    @property
    def r_at_3(self) -> float:
        return self.hit_at_3 / max(self.answerable, 1)

    @property
    def mrr(self) -> float:
        return self.reciprocal_rank / max(self.answerable, 1)

    @property
    def decline_rate(self) -> float:
        return self.declined / max(self.out_of_scope, 1)

    @property
    def chitchat_rate(self) -> float:
        return self.chitchat_recognised / max(self.chitchat, 1)

    def summary(self) -> str:
        lines = [
            f"answerable questions: {self.answerable}",
            f"R@1  {self.r_at_1:.3f}   R@3  {self.r_at_3:.3f}   MRR  {self.mrr:.3f}",
            f"wrong answer on top (answered, wrong turn): {self.wrong_answers}",
            f"quote contains the asked figure: {self.quote_hits}/{self.quote_checks}",
            f"out-of-scope declined: {self.declined}/{self.out_of_scope} = {self.decline_rate:.3f}",
            "small talk recognised: "
            f"{self.chitchat_recognised}/{self.chitchat} = {self.chitchat_rate:.3f}",
            "by category (correct/total): "
            + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(self.by_category.items())),
        ]
        return "\n".join(lines)


def load_questions(path: Path = QUESTIONS) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def score(questions: list[dict[str, object]], answers: list[Answer]) -> Report:
    report = Report()
    for question, answer in zip(questions, answers, strict=True):
        expect, category = question["expect"], str(question["category"])
        tally = report.by_category[category]
        tally[1] += 1
        if expect == "answer":
            report.answerable += 1
            good = {(question["interview"], question["turn"])} | {
                (question["interview"], t)
                for t in question.get("also_ok") or []  # type: ignore[attr-defined]
            }
            ranks = [i for i, m in enumerate(answer.results) if (m.interview_id, m.turn) in good]
            rank = ranks[0] if ranks and answer.answered else None
            if rank == 0:
                report.hit_at_1 += 1
                tally[0] += 1
            elif answer.answered:
                report.wrong_answers += 1
            if rank is not None and rank < 3:
                report.hit_at_3 += 1
            if rank is not None:
                report.reciprocal_rank += 1 / (rank + 1)
            wanted = question.get("quote_contains")
            if wanted:
                report.quote_checks += 1
                if answer.answered and answer.results and wanted in answer.results[0].quote:
                    report.quote_hits += 1
            if rank != 0:
                top = answer.results[0] if answer.results else None
                report.misses.append(
                    f"{question['id']} [{category}] {question['q']!r}: "
                    f"expected turn {question['turn']}, got "
                    + (
                        f"{top.interview_id[:3]}#{top.turn} score {top.score:.0f}"
                        if top
                        else "nothing"
                    )
                    + ("" if answer.answered else f" (declined: {answer.reason})")
                )
        elif expect == "decline":
            report.out_of_scope += 1
            if not answer.answered:
                report.declined += 1
                tally[0] += 1
            else:
                top = answer.results[0]
                report.misses.append(
                    f"{question['id']} [{category}] {question['q']!r}: should decline, answered "
                    f"{top.interview_id[:3]}#{top.turn} score {top.score:.0f}"
                )
        else:
            report.chitchat += 1
            if answer.kind == "chitchat":
                report.chitchat_recognised += 1
                tally[0] += 1
            else:
                report.misses.append(
                    f"{question['id']} [{category}] {question['q']!r}: "
                    f"not small talk ({answer.kind})"
                )
    return report


async def evaluate(
    questions: list[dict[str, object]],
    *,
    threshold: float | None = None,
    corpus: Path = SEEDS,
) -> Report:
    with tempfile.TemporaryDirectory() as folder:
        async with await KnowledgeBase.open(
            Path(folder) / "eval.sqlite3", seeds_dir=corpus, threshold=threshold
        ) as kb:
            answers = [await kb.ask(str(q["q"]), top_k=3) for q in questions]
    return score(questions, answers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument(
        "--corpus", type=Path, default=SEEDS, help="folder of interviews the questions are about"
    )
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    report = asyncio.run(
        evaluate(load_questions(args.questions), threshold=args.threshold, corpus=args.corpus)
    )
    print(report.summary())
    if args.misses:
        print("\nmisses:")
        print("\n".join(report.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
