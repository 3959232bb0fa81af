"""Registering allowances through the form, the paid toggle, the yearly overview and the CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie import clock
from participatie.allowances.models import Allowance
from participatie.allowances.operations import detach_for_deletion, register_allowance
from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.participants.models import Participant
from tests.conftest import post_form


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Allowance)) or 0


def _stored(app: Flask) -> list[Allowance]:
    with app.app_context():
        rows = db.session.scalars(select(Allowance).order_by(Allowance.id)).all()
        db.session.expunge_all()
        return list(rows)


def _add(app: Flask, participant_id: int, day: date, minutes: int, cents: int, **kw: Any) -> int:
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        allowance, _ = register_allowance(
            None, participant, kw.pop("activity", "Panel"), day, minutes, cents, **kw
        )  # type: ignore[arg-type]
        db.session.commit()
        return allowance.id


def _text(html: str) -> str:
    """Page text with tags removed and (non-breaking) spaces collapsed, for readable asserts."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


FORM = {
    "activity": "Panelgesprek jeugdbescherming",
    "activity_date": "2025-03-14",
    "hours": "2",
    "amount": "10,00",
}


@pytest.fixture
def adult(create_participant: Callable[..., int]) -> int:
    return create_participant(display_name="Sanne", age_band="35-49")


@pytest.fixture
def young(create_participant: Callable[..., int]) -> int:
    return create_participant(display_name="Jip", age_band="18-20")


def test_form_shows_limits_for_the_age_group(client: FlaskClient, logged_in, young: int) -> None:
    logged_in("ambassadeur")
    with clock.frozen_at(datetime(2025, 6, 1, 12, tzinfo=UTC)):
        response = client.get(f"/vergoedingen/nieuw/{young}")
    text = _text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "jonger dan 21 jaar" in text
    assert "€ 3,30 per uur" in text
    assert 'value="2025-06-01"' in response.get_data(as_text=True)
    # The "I know" box is only offered once there is a warning.
    assert "accept_over_limit" not in response.get_data(as_text=True)


def test_create_with_dutch_decimal_comma_stores_and_redirects(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    logged_in("ambassadeur")
    page = f"/vergoedingen/nieuw/{adult}"
    response = post_form(client, page, {**FORM, "amount": "8,40", "hours": "1,5", "paid": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/poule/{adult}"
    [allowance] = _stored(app)
    assert (allowance.participant_id, allowance.activity) == (adult, FORM["activity"])
    assert (allowance.activity_date, allowance.minutes, allowance.amount_cents) == (
        date(2025, 3, 14),
        90,
        840,
    )
    assert allowance.paid is True and allowance.under_21 is False


@pytest.mark.parametrize(
    ("hours", "amount", "minutes", "cents"),
    [
        ("1:30", "8.40", 90, 840),
        ("0,25", "€ 1,40", 15, 140),
        ("3 uur", "16,8", 180, 1680),
    ],
)
def test_hours_and_amount_formats(
    app: Flask,
    client: FlaskClient,
    logged_in,
    adult: int,
    hours: str,
    amount: str,
    minutes: int,
    cents: int,
) -> None:
    logged_in("beheerder")
    response = post_form(
        client, f"/vergoedingen/nieuw/{adult}", {**FORM, "hours": hours, "amount": amount}
    )
    assert response.status_code == 303, _text(response.get_data(as_text=True))
    [allowance] = _stored(app)
    assert (allowance.minutes, allowance.amount_cents) == (minutes, cents)


def test_over_hour_limit_warns_and_stores_nothing(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client, f"/vergoedingen/nieuw/{adult}", {**FORM, "hours": "2", "amount": "11,22"}
    )
    html = response.get_data(as_text=True)
    text = _text(html)
    assert response.status_code == 200
    assert "boven de grens" in text
    assert "Dit is € 5,61 per uur" in text
    assert "21 jaar en ouder is de grens € 5,60 per uur" in text
    assert "de hele vergoeding belast" in text
    assert _count(app) == 0
    # Everything typed is kept, and the "I know" box appears, unchecked.
    assert 'value="11,22"' in html
    assert 'value="2"' in html
    assert f'value="{FORM["activity"]}"' in html
    assert 'value="2025-03-14"' in html
    box = re.search(r"<input[^>]*id=\"accept_over_limit\"[^>]*>", html)
    assert box is not None and "checked" not in box.group(0)


def test_under_21_rate_warns_where_adult_rate_would_not(
    app: Flask, client: FlaskClient, logged_in, young: int
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client, f"/vergoedingen/nieuw/{young}", {**FORM, "hours": "1", "amount": "3,31"}
    )
    text = _text(response.get_data(as_text=True))
    assert "jonger dan 21 jaar is de grens € 3,30 per uur" in text
    assert _count(app) == 0
    response = post_form(
        client, f"/vergoedingen/nieuw/{young}", {**FORM, "hours": "1", "amount": "3,30"}
    )
    assert response.status_code == 303
    assert _count(app) == 1


def test_month_and_year_warnings_show_totals(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    for month in range(1, 10):
        _add(app, adult, date(2025, month, 1), 40 * 60, 21000)
    _add(app, adult, date(2025, 10, 1), 40 * 60, 20000)
    logged_in("ambassadeur")
    response = post_form(
        client,
        f"/vergoedingen/nieuw/{adult}",
        {**FORM, "activity_date": "2025-10-20", "hours": "4", "amount": "20,01"},
    )
    text = _text(response.get_data(as_text=True))
    assert "totaal in oktober 2025 op € 220,01" in text
    assert "De grens is € 210,00 per maand" in text
    assert "totaal in 2025 op € 2.110,01" in text
    assert "De grens is € 2.100,00 per jaar" in text
    assert "per uur. Voor" not in text  # €5.00 an hour: no hour warning
    assert _count(app) == 10


def test_over_limit_with_accept_is_stored_and_audited(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    logged_in("ambassadeur")
    data = {**FORM, "hours": "1", "amount": "6,00", "accept_over_limit": "y"}
    response = post_form(client, f"/vergoedingen/nieuw/{adult}", data)
    assert response.status_code == 303
    [allowance] = _stored(app)
    assert allowance.amount_cents == 600
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "allowance.create"))
        assert event is not None and event.details["over_limit"] == ["hour"]


def test_invalid_input_keeps_typed_values_and_explains(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client,
        f"/vergoedingen/nieuw/{adult}",
        {
            "activity": "Training",
            "activity_date": "2025-13-45",
            "hours": "anderhalf",
            "amount": "twaalf",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Training"' in html
    assert 'value="anderhalf"' in html
    assert 'value="twaalf"' in html
    assert "Vul de tijd in uren in, zoals 1,5" in html
    assert (
        "Vul een bedrag in euro&#39;s in, zoals 12,50" in html
        or "Vul een bedrag in euro's in" in html
    )
    assert "Vul een geldige datum in" in html
    assert 'class="error-summary"' in html
    assert _count(app) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "meer dan € 0"),
        ("amount", "12,345", "hoogstens 2 cijfers"),
        ("hours", "0", "meer dan 0 en hoogstens 24 uur"),
        ("hours", "25", "meer dan 0 en hoogstens 24 uur"),
        ("activity", "", "Vul de activiteit in"),
    ],
)
def test_out_of_range_values_are_refused(
    app: Flask, client: FlaskClient, logged_in, adult: int, field: str, value: str, message: str
) -> None:
    logged_in("ambassadeur")
    response = post_form(client, f"/vergoedingen/nieuw/{adult}", {**FORM, field: value})
    assert response.status_code == 400
    assert message in _text(response.get_data(as_text=True))
    assert _count(app) == 0


def test_unknown_participant_is_404(client: FlaskClient, logged_in) -> None:
    logged_in("ambassadeur")
    assert client.get("/vergoedingen/nieuw/999999").status_code == 404


def test_paid_toggle(app: Flask, client: FlaskClient, logged_in, adult: int) -> None:
    allowance_id = _add(app, adult, date(2025, 3, 1), 60, 500)
    logged_in("ambassadeur")
    with clock.frozen_at(datetime(2025, 3, 20, 9, tzinfo=UTC)):
        response = post_form(
            client, "/vergoedingen/", {"paid": "1"}, action=f"/vergoedingen/{allowance_id}/betaald"
        )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/poule/{adult}"
    [allowance] = _stored(app)
    assert allowance.paid is True and allowance.paid_on == date(2025, 3, 20)
    response = post_form(
        client, "/vergoedingen/", {"paid": "0"}, action=f"/vergoedingen/{allowance_id}/betaald"
    )
    [allowance] = _stored(app)
    assert allowance.paid is False and allowance.paid_on is None


def test_paid_toggle_for_anonymised_allowance_goes_to_overview(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    allowance_id = _add(app, adult, date(2025, 3, 1), 60, 500)
    with app.app_context():
        detach_for_deletion(adult)
        db.session.commit()
    logged_in("ambassadeur")
    response = post_form(
        client, "/vergoedingen/", {"paid": "1"}, action=f"/vergoedingen/{allowance_id}/betaald"
    )
    assert response.headers["Location"] == "/vergoedingen/?jaar=2025"
    assert _stored(app)[0].paid is True


def test_paid_toggle_needs_csrf_token(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    allowance_id = _add(app, adult, date(2025, 3, 1), 60, 500)
    logged_in("ambassadeur")
    response = client.post(f"/vergoedingen/{allowance_id}/betaald", data={"paid": "1"})
    assert response.status_code == 400
    assert _stored(app)[0].paid is False


def test_overview_totals_per_participant(
    app: Flask, client: FlaskClient, logged_in, adult: int, young: int, create_participant
) -> None:
    _add(app, adult, date(2025, 1, 10), 120, 1000, paid=True)
    _add(app, adult, date(2025, 2, 10), 90, 840)
    _add(app, adult, date(2024, 2, 10), 60, 555)  # other year
    _add(app, young, date(2025, 3, 1), 60, 400)  # over the under-21 hour rate
    gone = create_participant(display_name="Weg", age_band="35-49")
    _add(app, gone, date(2025, 4, 1), 60, 300)
    with app.app_context():
        detach_for_deletion(gone)
        db.session.commit()
    logged_in("ambassadeur")

    response = client.get("/vergoedingen/?jaar=2025")

    html = response.get_data(as_text=True)
    text = _text(html)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    rows = {
        _text(row).split(" ")[1]: _text(row)
        for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, flags=re.S)
    }
    assert f'href="/poule/{adult}"' in html and f'href="/poule/{young}"' in html
    assert rows["Sanne"].split() == [
        "Sanne",
        "2",
        "3,5",
        "€",
        "18,40",
        "€",
        "10,00",
        "€",
        "8,40",
        "Nee",
    ]
    assert rows["Jip"].split() == [
        "Jip",
        "1",
        "1",
        "€",
        "4,00",
        "€",
        "0,00",
        "€",
        "4,00",
        "Ja:",
        "uurbedrag",
    ]
    assert "Verwijderde deelnemers (zonder naam) 1 1 € 3,00" in rows["Verwijderde"]
    assert "Weg" not in text
    assert "5,55" not in text
    assert "Totaal € 25,40 € 10,00 € 15,40" in rows["Totaal"]
    # The unpaid list offers "paid" buttons that come back to the overview.
    assert text.count("Zet op betaald") == 3
    assert 'name="terug" value="overzicht"' in html


def test_overview_defaults_to_current_year_and_has_year_selector(
    app: Flask, client: FlaskClient, logged_in, adult: int
) -> None:
    _add(app, adult, date(2023, 5, 1), 60, 500)
    logged_in("ambassadeur")
    with clock.frozen_at(datetime(2026, 2, 1, 12, tzinfo=UTC)):
        html = client.get("/vergoedingen/").get_data(as_text=True)
        bad = client.get("/vergoedingen/?jaar=abc").get_data(as_text=True)
    assert "Vrijwilligersvergoedingen 2026" in html
    assert "Er zijn geen vergoedingen geregistreerd in 2026" in html
    assert re.search(r'<form method="get" action="/vergoedingen/"', html)
    assert '<label for="jaar">' in html
    assert '<option selected value="2026">' in html or '<option value="2026" selected>' in html
    assert '<option value="2023">' in html
    assert 'href="/vergoedingen/export.csv?jaar=2026"' in html
    assert "Vrijwilligersvergoedingen 2026" in bad


def test_csv_export_for_finance(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    tricky = create_participant(display_name="=HYPERLINK(1)", age_band="18-20")
    plain = create_participant(display_name="Sanne", age_band="35-49")
    with clock.frozen_at(datetime(2025, 4, 2, 9, tzinfo=UTC)):
        _add(app, tricky, date(2025, 4, 1), 90, 495, activity="+Panel", paid=True)
    _add(app, plain, date(2025, 3, 1), 120, 1050, activity="Training; deel 2")
    _add(app, plain, date(2024, 3, 1), 120, 1000)  # other year
    gone = create_participant(display_name="Weg", age_band="35-49")
    _add(app, gone, date(2025, 5, 1), 60, 300, activity="Weg-gesprek")
    with app.app_context():
        detach_for_deletion(gone)
        db.session.commit()
    account = logged_in("ambassadeur")

    response = client.get("/vergoedingen/export.csv?jaar=2025")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "vrijwilligersvergoedingen-2025.csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["deelnemer_id", "naam", "activiteit", "datum", "uren", "bedrag", "betaald", "betaald_op"],
        [str(plain), "Sanne", "Training; deel 2", "2025-03-01", "2,00", "10,50", "nee", ""],
        [
            str(tricky),
            "'=HYPERLINK(1)",
            "'+Panel",
            "2025-04-01",
            "1,50",
            "4,95",
            "ja",
            "2025-04-02",
        ],
        ["", "(verwijderd)", "—", "2025-05-01", "1,00", "3,00", "nee", ""],
    ]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "allowance.export"))
        assert event is not None
        assert event.actor_id == account.id
        assert event.details == {"year": 2025, "count": 3}
        assert "Sanne" not in str(event.details)


ENDPOINTS = [
    ("GET", "/vergoedingen/"),
    ("GET", "/vergoedingen/export.csv?jaar=2025"),
    ("GET", "/vergoedingen/nieuw/{participant}"),
    ("POST", "/vergoedingen/nieuw/{participant}"),
    ("POST", "/vergoedingen/{allowance}/betaald"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_ketenpartner_is_refused(
    app: Flask, client: FlaskClient, logged_in, adult: int, method: str, url: str
) -> None:
    allowance_id = _add(app, adult, date(2025, 3, 1), 60, 500)
    logged_in("ketenpartner")
    path = url.format(participant=adult, allowance=allowance_id)
    if method == "GET":
        response = client.get(path)
    else:
        response = post_form(client, "/medewerkers/", {**FORM, "paid": "1"}, action=path)
    assert response.status_code == 403
    assert _count(app) == 1 and _stored(app)[0].paid is False
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "allowance.export"))
            is None
        )


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_sent_to_login(
    app: Flask, client: FlaskClient, adult: int, method: str, url: str
) -> None:
    allowance_id = _add(app, adult, date(2025, 3, 1), 60, 500)
    path = url.format(participant=adult, allowance=allowance_id)
    if method == "GET":
        response = client.get(path)
    else:
        # With a valid CSRF token from a public page, so the login check is what refuses.
        response = post_form(client, "/medewerkers/inloggen", {**FORM, "paid": "1"}, action=path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/medewerkers/inloggen")
    assert _stored(app)[0].paid is False


@pytest.mark.parametrize("role", ["ambassadeur", "beheerder"])
def test_staff_with_allowance_role_may_use_the_pages(
    client: FlaskClient, logged_in, adult: int, role: str
) -> None:
    logged_in(role)
    assert client.get("/vergoedingen/").status_code == 200
    assert client.get(f"/vergoedingen/nieuw/{adult}").status_code == 200
    assert client.get("/vergoedingen/export.csv").status_code == 200
