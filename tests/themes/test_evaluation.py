from __future__ import annotations

import pytest

from participatie.themes.evaluation import evaluate, format_report


def test_precision_recall_f1_micro_macro_and_sentiment_accuracy() -> None:
    result = evaluate(
        [
            ("a", ["roles"], -1, ["roles"], -1),
            ("b", ["roles", "information"], 0, ["roles"], 0),
            ("c", [], 1, ["information"], -1),
            ("d", ["continuity"], 1, ["continuity"], 1),
        ],
        ["roles", "information", "continuity"],
    )
    roles, information, continuity = (
        result.themes[s] for s in ("roles", "information", "continuity")
    )
    assert (roles.precision, roles.recall, roles.f1) == (1.0, 1.0, 1.0)
    assert (information.true_positive, information.false_positive, information.false_negative) == (
        0,
        1,
        1,
    )
    assert information.f1 == 0.0
    assert continuity.f1 == 1.0
    # micro: tp 3, fp 1, fn 1 -> p = r = 0.75
    assert result.micro_f1 == pytest.approx(0.75)
    assert result.macro_f1 == pytest.approx(2 / 3)
    assert result.sentiment_accuracy == pytest.approx(0.75)
    assert result.errors == ["b", "c"]
    report = format_report(result)
    assert "micro F1            0.750" in report
    assert "sentiment accuracy  0.750" in report


def test_themes_without_labels_or_predictions_do_not_count_for_macro() -> None:
    result = evaluate([("a", ["roles"], 0, ["roles"], 0)], ["roles", "reporting"])
    assert result.macro_f1 == 1.0
