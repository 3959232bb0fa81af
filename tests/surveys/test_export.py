"""CSV and XLSX exports of a wave's results: the page's figures, nothing more."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.audit.models import AuditEvent
from participatie.db import db
from tests.surveys.test_results import answers, run_wave, template_of

STORY = "Ik wist niet wie verantwoordelijk was en wie ik moest bellen."

FORMULA_SPEC: dict[str, Any] = {
    "slug": "formules",
    "title": {"nl": '=HYPERLINK("http://example.org","klik")'},
    "sections": [
        {
            "title": {"nl": "Deel"},
            "questions": [
                {
                    "code": "choice",
                    "kind": "single",
                    "text": {"nl": "+SUM(1;2)"},
                    "options": [
                        {"value": "x", "label": {"nl": "=1+1"}},
                        {"value": "y", "label": {"nl": "@cmd"}},
                        {"value": "z", "label": {"nl": "-2+3"}},
                    ],
                },
                {
                    "code": "story",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Verhaal"},
                },
            ],
        }
    ],
}


def _csv(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def _rows(rows: list[dict[str, str]], question: str) -> dict[str, dict[str, str]]:
    return {row["antwoord_code"]: row for row in rows if row["vraag_code"] == question}


def _xml(data: bytes | str) -> ElementTree.Element:
    return ElementTree.fromstring(data)  # noqa: S314 - the app's own export, not untrusted input


def _xlsx(content: bytes) -> tuple[list[dict[str, str]], str]:
    """The first sheet as dicts by header (a minimal reader: no openpyxl needed), and its XML."""
    names = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared = [
            "".join(node.itertext())
            for node in _xml(archive.read("xl/sharedStrings.xml")).findall("m:si", names)
        ]
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    table: list[dict[str, str]] = []
    for row in _xml(sheet_xml).iter(f"{{{names['m']}}}row"):
        values: dict[str, str] = {}
        for cell in row.findall("m:c", names):
            column = re.sub(r"\d", "", cell.get("r", ""))
            value = cell.find("m:v", names)
            if value is None or value.text is None:
                continue
            values[column] = shared[int(value.text)] if cell.get("t") == "s" else value.text
        table.append(values)
    header = table[0]
    return [
        {header[column]: value for column, value in row.items() if column in header}
        for row in table[1:]
    ], sheet_xml


def _exports(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "survey_results.exported")
            )
        )


def test_csv_has_protected_aggregates_and_no_open_answers(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    wave_id = run_wave(
        app,
        20 * [answers(choice="x", story=STORY)]
        + 3 * [answers(choice="y")]
        + 15 * [answers(choice="w")],
    )
    response = client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="enquete-resultaten-test-ronde-1.csv"'
    )
    rows = _csv(response)
    assert _rows(rows, "")["respondenten"]["aantal"] == "38"
    choice = _rows(rows, "choice")
    assert (choice["x"]["aantal"], choice["x"]["percentage"]) == ("20", "53")
    # 3 hidden, 0 empty, 15 hidden to protect the 3: all three exported the same way.
    for value in ("y", "z", "w"):
        assert (choice[value]["aantal"], choice[value]["percentage"]) == ("", ""), value
    assert choice["n"]["aantal"] == "38"
    text = response.get_data(as_text=True)
    assert "verantwoordelijk" not in text
    assert not any(row["vraag_code"] == "story" for row in rows)
    events = _exports(app)
    assert len(events) == 1
    assert events[0].object_type == "survey_wave"
    assert events[0].object_id == str(wave_id)
    assert events[0].details["format"] == "csv"


def test_csv_mean_and_agreement(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(
        app,
        12 * [answers(grade="7", listened="4")] + 10 * [answers(grade="8", listened="na")],
    )
    rows = _rows(_csv(client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.csv")), "grade")
    assert rows["gemiddelde"]["gemiddelde"] == "7,5"
    assert rows["7"]["aantal"] == "12"
    listened = _rows(
        _csv(client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.csv")), "listened"
    )
    assert listened["eens"]["percentage"] == "100"
    assert listened["na"]["aantal"] == "10"


def test_csv_neutralises_formulas(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(app, 12 * [{"choice": "x"}] + 10 * [{"choice": "z"}], spec=FORMULA_SPEC)
    rows = _csv(client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.csv"))
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), value
    choice = _rows(rows, "choice")
    assert choice["x"]["antwoord"] == "'=1+1"
    assert choice["x"]["vraag"] == "'+SUM(1;2)"
    assert choice["y"]["antwoord"] == "'@cmd"
    assert choice["z"]["antwoord"] == "'-2+3"
    assert choice["x"]["enquete"].startswith("'=HYPERLINK")


def test_xlsx_has_the_same_figures_as_text_never_formulas(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("beheerder")
    wave_id = run_wave(
        app,
        12 * [{"choice": "x", "story": STORY}] + 3 * [{"choice": "y"}] + 10 * [{"choice": "z"}],
        spec=FORMULA_SPEC,
    )
    response = client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        'filename="enquete-formules-ronde-1.xlsx"'
    )
    rows, sheet = _xlsx(response.data)
    assert "<f>" not in sheet
    choice = {row["antwoord_code"]: row for row in rows if row.get("vraag_code") == "choice"}
    assert choice["x"]["antwoord"] == "=1+1"  # stored as text, so harmless
    assert choice["x"]["aantal"] == "12"
    # 3 is hidden; to protect it the smallest shown cell (10) is hidden too.
    assert "aantal" not in choice["y"] and "percentage" not in choice["y"]
    assert "aantal" not in choice["z"] and "percentage" not in choice["z"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"verantwoordelijk" not in everything
    assert [event.details["format"] for event in _exports(app)] == ["xlsx"]


def test_export_honours_the_filter_and_its_refusal(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(
        app,
        15 * [answers(role="parent")] + 12 * [answers(role="young", choice="w")],
    )
    url = f"/enquetes/resultaten/rondes/{wave_id}/export.csv"
    young = _csv(client.get(url, query_string={"filter": "role:young"}))
    assert _rows(young, "")["respondenten"]["aantal"] == "12"
    assert _rows(young, "choice")["w"]["aantal"] == "12"
    assert young[0]["filter"] == "Wie bent u?: Optie young"
    assert _exports(app)[0].details["filter"] == "role:young"

    small = run_wave(
        app,
        25 * [answers(role="parent")] + 3 * [answers(role="young")],
        template_id=template_of(app, wave_id),
    )
    refused = _csv(
        client.get(
            f"/enquetes/resultaten/rondes/{small}/export.csv", query_string={"filter": "role:young"}
        )
    )
    assert refused and all(row["aantal"] == "" and row["percentage"] == "" for row in refused)


def test_export_of_a_group_below_k_is_empty(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(app, 7 * [answers()])
    rows = _csv(client.get(f"/enquetes/resultaten/rondes/{wave_id}/export.csv"))
    assert rows
    assert all(row["aantal"] == row["percentage"] == row["gemiddelde"] == "" for row in rows)


# --- every export under every filter, read by an attacker ------------------------------------------


def _attack_spec() -> dict[str, Any]:
    """The generated waves' questions (tests/surveys/test_results_attack.py) as a template."""
    from tests.surveys.test_results_attack import SPECS

    def question(spec: Any) -> dict[str, Any]:
        given: dict[str, Any] = {
            "code": spec.code,
            "kind": spec.kind,
            "required": spec.code in ("choice", "listened", "grade"),
            "background": spec.code in ("role", "orgs"),
            "text": {"nl": f"Vraag {spec.code}"},
        }
        if spec.kind in ("single", "multiple"):
            given["options"] = [{"value": o.value, "label": {"nl": o.value}} for o in spec.options]
        return given

    return {
        "slug": "aanval",
        "title": {"nl": "Aanval"},
        "sections": [{"title": {"nl": "Alles"}, "questions": [question(s) for s in SPECS]}],
    }


def _page_from_csv(rows: list[dict[str, str]]) -> Any:
    from tests.surveys.test_results_attack import SPECS, Page, Shown

    def number(text: str) -> int | None:
        return int(text) if text else None

    questions = {}
    for spec in SPECS:
        by_code = _rows(rows, spec.code)
        options = [o.value for o in spec.options]
        mean = by_code.get("gemiddelde", {}).get("gemiddelde", "")
        questions[spec.code] = Shown(
            {value: number(by_code[value]["aantal"]) for value in options},
            {value: number(by_code[value]["percentage"]) for value in options},
            number(by_code["n"]["aantal"]) if "n" in by_code else None,
            Decimal(mean.replace(",", ".")) if mean else None,
            number(by_code["eens"]["percentage"]) if "eens" in by_code else None,
        )
    return Page(number(_rows(rows, "")["respondenten"]["aantal"]), questions)


class TestExportsUnderEveryFilter:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"K_THRESHOLD": 5}

    def test_exports_under_every_filter_give_no_hidden_number_away(
        self, client: FlaskClient, logged_in: Callable[..., Any], app: Flask
    ) -> None:
        from participatie.surveys.results import publish
        from tests.surveys.test_results_attack import (
            FILTERS,
            SPECS,
            attack,
            generate_wave,
            pages_of,
        )

        logged_in("ketenpartner")
        responses = generate_wave(2)
        by_id = {spec.id: spec for spec in SPECS}
        given = [
            {
                by_id[question_id].code: list(values)
                if by_id[question_id].kind == "multiple"
                else values[0]
                for question_id, values in response.items()
            }
            for response in responses
        ]
        wave_id = run_wave(app, given, spec=_attack_spec())
        url = f"/enquetes/resultaten/rondes/{wave_id}"
        offered = re.findall(r'<option value="(\w+):(\w+)"', client.get(url).text)
        assert len(offered) >= 3  # both filters, more than one group
        pages = {None: _page_from_csv(_csv(client.get(f"{url}/export.csv")))}
        for code, value in offered:
            export = client.get(f"{url}/export.csv", query_string={"filter": f"{code}:{value}"})
            pages[code, value] = _page_from_csv(_csv(export))
        # The exports carry exactly what the protection decided, and nothing can be derived.
        assert pages == pages_of(publish(list(SPECS), list(FILTERS), responses, 5), SPECS)
        assert attack(pages, responses, 5) == []
