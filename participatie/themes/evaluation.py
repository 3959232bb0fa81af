"""Quality of the coder against hand-labelled answers: precision, recall and F1 per theme,
micro and macro F1, and sentiment accuracy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class ThemeCounts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def support(self) -> int:
        return self.true_positive + self.false_negative


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Evaluation:
    themes: dict[str, ThemeCounts]
    answers: int = 0
    sentiment_correct: int = 0
    errors: list[str] = field(default_factory=list)  # ids with any mistake

    @property
    def micro_f1(self) -> float:
        total = ThemeCounts(
            sum(c.true_positive for c in self.themes.values()),
            sum(c.false_positive for c in self.themes.values()),
            sum(c.false_negative for c in self.themes.values()),
        )
        return total.f1

    @property
    def macro_f1(self) -> float:
        """The mean F1 over themes that occur in the labels or the predictions."""
        scored = [c.f1 for c in self.themes.values() if c.support or c.false_positive]
        return sum(scored) / len(scored) if scored else 0.0

    @property
    def sentiment_accuracy(self) -> float:
        return self.sentiment_correct / self.answers if self.answers else 0.0


def evaluate(
    pairs: Iterable[tuple[str, Sequence[str], int, Sequence[str], int]], slugs: Sequence[str]
) -> Evaluation:
    """`pairs`: (id, expected themes, expected sentiment, predicted themes, predicted sentiment)."""
    result = Evaluation(themes={slug: ThemeCounts() for slug in slugs})
    for answer_id, expected, expected_sentiment, predicted, predicted_sentiment in pairs:
        result.answers += 1
        wrong = False
        for slug in set(expected) | set(predicted):
            counts = result.themes.setdefault(slug, ThemeCounts())
            if slug in expected and slug in predicted:
                counts.true_positive += 1
            elif slug in predicted:
                counts.false_positive += 1
                wrong = True
            else:
                counts.false_negative += 1
                wrong = True
        if expected_sentiment == predicted_sentiment:
            result.sentiment_correct += 1
        else:
            wrong = True
        if wrong:
            result.errors.append(answer_id)
    return result


def format_report(result: Evaluation) -> str:
    lines = [f"{'theme':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for slug, counts in result.themes.items():
        lines.append(
            f"{slug:<16} {counts.precision:>9.2f} {counts.recall:>7.2f} {counts.f1:>6.2f} "
            f"{counts.support:>8}"
        )
    lines += [
        "",
        f"answers             {result.answers}",
        f"micro F1            {result.micro_f1:.3f}",
        f"macro F1            {result.macro_f1:.3f}",
        f"sentiment accuracy  {result.sentiment_accuracy:.3f}",
    ]
    return "\n".join(lines)
