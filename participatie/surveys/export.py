"""Exports of a wave's results: CSV and XLSX with exactly the figures the results page shows.

Aggregates only, never open answers. A hidden figure is an empty cell, just like a zero or a
figure that does not apply, so an export tells no more than the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext as _

from ..security import csv_safe
from .models import SurveyWave
from .queries import WaveReport

Value = str | int | Decimal | None

COLUMNS = (
    "enquete",
    "ronde",
    "filter",
    "vraag_code",
    "vraag",
    "soort",
    "antwoord_code",
    "antwoord",
    "aantal",
    "percentage",
    "gemiddelde",
)


def filename(wave: SurveyWave, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", wave.template.slug.lower()).strip("-") or "enquete"
    return f"enquete-{slug}-ronde-{wave.number}.{extension}"


def rows(report: WaveReport, locale: str) -> Iterator[list[Value]]:
    """The table both formats write: one row per answer option, plus n, mean and agreement."""
    wave = report.wave
    title = wave.template.text("title", locale)
    prefix: list[Value] = [title, wave.number, report.filter_label]
    shown = report.shown
    yield [*prefix, "", "", "", "respondenten", _("Aantal respondenten"), shown.size, None, None]
    for _section, results in report.sections:
        for result in results:
            question = result.question
            about: list[Value] = [*prefix, question.code, question.label, question.kind]
            for cell in result.cells:
                yield [*about, cell.value, cell.label, cell.count, cell.percent, None]
            if question.kind != "multiple":
                yield [*about, "n", _("Beantwoord door"), result.answered, None, None]
            if question.kind == "grade":
                yield [*about, "gemiddelde", _("Gemiddeld cijfer"), None, None, result.mean]
            if question.kind == "agreement":
                yield [*about, "eens", _("(Helemaal) eens"), None, result.agree_percent, None]


def to_csv(report: WaveReport, locale: str) -> str:
    """Semicolon-separated with a byte order mark and decimal commas, as Dutch Excel reads it;
    text that could be taken for a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    for row in rows(report, locale):
        writer.writerow([_csv_value(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return csv_safe(value)


def to_xlsx(report: WaveReport, locale: str) -> bytes:
    """A workbook in memory. Strings are always written as text, never as formulas or links."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    decimal = workbook.add_format({"num_format": "0.0"})
    sheet = workbook.add_worksheet(_("Resultaten"))
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name, bold)
    for row_number, row in enumerate(rows(report, locale), start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                sheet.write_blank(row_number, column, None)
            elif isinstance(value, Decimal):
                sheet.write_number(row_number, column, float(value), decimal)
            elif isinstance(value, int):
                sheet.write_number(row_number, column, value)
            else:
                sheet.write_string(row_number, column, value)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 30)
    sheet.set_column(4, 4, 50)
    sheet.set_column(7, 7, 30)
    notes = workbook.add_worksheet(_("Toelichting"))
    notes.set_column(0, 0, 100)
    for line, text in enumerate(
        [
            _("Alleen totalen, nooit open antwoorden."),
            _(
                "Een lege cel betekent: te weinig of geen antwoorden. Aantallen onder %(k)s worden niet getoond, en ook niet de aantallen waarmee ze terug te rekenen zijn.",
                k=report.k,
            ),
            _(
                "Percentages zijn van het aantal mensen dat de vraag beantwoordde; bij vragen met meer antwoorden van het aantal respondenten."
            ),
        ]
    ):
        notes.write_string(line, 0, text)
    workbook.close()
    return buffer.getvalue()
