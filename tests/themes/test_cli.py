"""`flask themes code` and `flask themes evaluate`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from participatie.db import db
from participatie.themes.models import Theme
from participatie.themes.operations import ensure_codebook
from tests.themes.helpers import LABELLED


def write_jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return str(path)


def test_code_writes_one_line_per_answer_with_the_seeded_codebook(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        ensure_codebook()
        db.session.commit()
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "1", "text": "Mevrouw Bakker belde nooit terug. Bel mij: 06-12345678."},
            {"id": "2", "text": "The guardian explained everything clearly.", "lang": "nl"},
            {"id": "3", "text": "Geen verdere opmerkingen."},
        ],
    )
    result = app.test_cli_runner().invoke(args=["themes", "code", source])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines == [
        {
            "id": "1",
            "themes": ["continuity"],
            "sentiment": -1,
            "language": "nl",
            "scrubbed": "Mevrouw [naam] belde nooit terug. Bel mij: [telefoon].",
        },
        {
            "id": "2",
            "themes": ["information"],
            "sentiment": 1,
            "language": "en",
            "scrubbed": "The guardian explained everything clearly.",
        },
        {
            "id": "3",
            "themes": [],
            "sentiment": 0,
            "language": "nl",
            "scrubbed": "Geen verdere opmerkingen.",
        },
    ]


def test_code_falls_back_to_the_default_codebook_when_the_table_is_empty(
    app: Flask, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Wachtlijst van een jaar."}])
    result = app.test_cli_runner().invoke(args=["themes", "code", source])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["themes"] == ["timely_care"]


def test_code_uses_the_codebook_in_the_database(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        ensure_codebook()
        timely = db.session.scalar(select(Theme).where(Theme.slug == "timely_care"))
        timely.is_active = False
        db.session.add(
            Theme(
                slug="money",
                label_nl="Geld",
                label_en="Money",
                indicators={"nl": {"lemmas": {"geld": 1.0}}, "en": {"lemmas": {"money": 1.0}}},
            )
        )
        db.session.commit()
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "text": "Wachtlijst van een jaar."},
            {"id": "b", "text": "Alles draait om geld."},
        ],
    )
    result = app.test_cli_runner().invoke(args=["themes", "code", source])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["themes"] for line in result.output.splitlines()] == [[], ["money"]]


def test_code_reports_the_line_of_bad_input(app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "1", "text": "goed"}\n\n{"id": 2, "tekst": "x"}\n')
    result = app.test_cli_runner().invoke(args=["themes", "code", str(source)])
    assert result.exit_code != 0
    assert "line 3" in result.output


def test_evaluate_prints_per_theme_figures_micro_macro_and_sentiment_accuracy(
    app: Flask,
) -> None:
    result = app.test_cli_runner().invoke(
        args=["themes", "evaluate", str(LABELLED), "--show-errors"]
    )
    assert result.exit_code == 0, result.output
    for slug in ("roles", "continuity", "child_contact"):
        assert slug in result.output
    for heading in ("precision", "recall", "micro F1", "macro F1", "sentiment accuracy"):
        assert heading in result.output
    micro = float(result.output.split("micro F1")[1].split()[0])
    assert micro >= 0.9


def test_evaluate_refuses_an_empty_file(app: Flask, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = app.test_cli_runner().invoke(args=["themes", "evaluate", str(empty)])
    assert result.exit_code != 0


def test_seed_reference_adds_the_codebook_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    with app.app_context():
        assert len(list(db.session.scalars(select(Theme.slug)))) == 10
