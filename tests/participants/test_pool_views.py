"""The ambassadors' pool: filters, sorting, pages, participant page, notes, export."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.participants.models import Participant
from tests.conftest import post_form


def names_on(html: str) -> list[str]:
    import re

    return re.findall(r'<td><a href="/poule/\d+">([^<]+)</a></td>', html)


def test_filters_combine(client: FlaskClient, logged_in, create_participant) -> None:
    logged_in("ambassadeur")
    create_participant(
        display_name="Anna", role="parent", languages=("nl", "ar"), municipality="Soest"
    )
    create_participant(
        display_name="Bilal", role="young_person", age_band="18-20", languages=("ar",)
    )
    create_participant(display_name="Cees", role="parent", status="paused", interests=("panels",))
    create_participant(
        display_name="Dina", role="family", consents=("pool",), availability=("weekend",)
    )

    def names(query: str) -> list[str]:
        return names_on(client.get(f"/poule/?{query}").get_data(as_text=True))

    assert names("") == ["Anna", "Bilal", "Cees", "Dina"]
    assert names("rol=parent") == ["Anna", "Cees"]
    assert names("taal=ar") == ["Anna", "Bilal"]
    assert names("taal=ar&rol=parent") == ["Anna"]
    assert names("leeftijd=18-20") == ["Bilal"]
    assert names("status=paused") == ["Cees"]
    assert names("interesse=panels") == ["Cees"]
    assert names("beschikbaar=weekend") == ["Dina"]
    assert names("toestemming=surveys") == ["Anna", "Bilal", "Cees"]
    assert names("zoek=bil") == ["Bilal"]
    assert names("sorteer=name&volgorde=aflopend") == ["Dina", "Cees", "Bilal", "Anna"]


def test_filter_on_municipality_organisation_and_activity(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    from datetime import timedelta

    from participatie import clock
    from participatie.organisations.models import Municipality, Organisation

    logged_in("ambassadeur")
    old = create_participant(display_name="Oud", municipality="Baarn")
    create_participant(display_name="Nieuw", municipality="Leusden")
    with app.app_context():
        participant = db.session.get(Participant, old)
        participant.last_activity_at = clock.now() - timedelta(days=500)
        participant.organisations = [
            db.session.scalar(select(Organisation).where(Organisation.slug == "veilig-thuis"))
        ]
        db.session.commit()
        baarn = db.session.scalar(select(Municipality.id).where(Municipality.name == "Baarn"))
        vt = db.session.scalar(select(Organisation.id).where(Organisation.slug == "veilig-thuis"))
    assert names_on(client.get(f"/poule/?gemeente={baarn}").get_data(as_text=True)) == ["Oud"]
    assert names_on(client.get(f"/poule/?organisatie={vt}").get_data(as_text=True)) == ["Oud"]
    assert names_on(client.get("/poule/?activiteit=older").get_data(as_text=True)) == ["Oud"]
    assert names_on(client.get("/poule/?activiteit=3m").get_data(as_text=True)) == ["Nieuw"]


def test_pages_of_25(client: FlaskClient, logged_in, create_participant) -> None:
    logged_in("ambassadeur")
    for number in range(30):
        create_participant(display_name=f"P{number:02d}")
    first = client.get("/poule/").get_data(as_text=True)
    second = client.get("/poule/?pagina=2").get_data(as_text=True)
    assert len(names_on(first)) == 25
    assert names_on(second) == [f"P{n}" for n in range(25, 30)]
    assert "30 personen gevonden" in first


def test_bad_filter_values_are_ignored_not_500(
    client: FlaskClient, logged_in, create_participant
) -> None:
    logged_in("ambassadeur")
    create_participant(display_name="Anna")
    response = client.get("/poule/?rol=<script>&gemeente=abc&pagina=-3&sorteer=drop&activiteit=x")
    assert response.status_code == 200
    assert names_on(response.get_data(as_text=True)) == ["Anna"]


def test_participant_page_view_is_audit_logged(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    staff = logged_in("ambassadeur")
    participant_id = create_participant(display_name="Anna", email="anna@example.org")
    page = client.get(f"/poule/{participant_id}").get_data(as_text=True)
    assert "anna@example.org" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.view"))
        assert event.actor_id == staff.id
        assert event.object_id == str(participant_id)
        assert "anna" not in str(event.details).lower()


def test_notes_are_added_and_shown(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    logged_in("ambassadeur")
    participant_id = create_participant()
    empty = post_form(
        client, f"/poule/{participant_id}", {"text": ""}, action=f"/poule/{participant_id}/notitie"
    )
    assert empty.status_code == 400
    assert "Schrijf eerst een notitie" in empty.get_data(as_text=True)
    post_form(
        client,
        f"/poule/{participant_id}",
        {"text": "Wil graag overdag"},
        action=f"/poule/{participant_id}/notitie",
    )
    assert "Wil graag overdag" in client.get(f"/poule/{participant_id}").get_data(as_text=True)


def test_status_change_and_phone_confirmation(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    logged_in("ambassadeur")
    participant_id = create_participant(email=None, phone="+31612345678", status="new")
    refused = post_form(
        client,
        f"/poule/{participant_id}",
        {"status": "active"},
        action=f"/poule/{participant_id}/status",
    )
    assert refused.status_code == 303
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "new"
    post_form(
        client,
        f"/poule/{participant_id}",
        {},
        action=f"/poule/{participant_id}/bevestigd-per-telefoon",
    )
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "active"
    post_form(
        client,
        f"/poule/{participant_id}",
        {"status": "stopped"},
        action=f"/poule/{participant_id}/status",
    )
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "stopped"


def test_contact_export_warns_first_is_audited_and_never_has_notes(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    from participatie.auth.models import User
    from participatie.participants.operations import add_note

    staff = logged_in("ambassadeur")
    anna = create_participant(display_name="Anna", email="anna@example.org", languages=("ar",))
    create_participant(
        display_name="=cmd|' /C calc'!A0", email="evil@example.org", languages=("ar",)
    )
    create_participant(display_name="Bart", email="bart@example.org", languages=("nl",))
    with app.app_context():
        add_note(
            db.session.get(User, staff.id), db.session.get(Participant, anna), "GEHEIME NOTITIE"
        )
        db.session.commit()
    warning = client.get("/poule/export?taal=ar")
    assert "Let op: dit zijn persoonsgegevens" in warning.get_data(as_text=True)
    response = post_form(client, "/poule/export?taal=ar", {})
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["naam", "e-mail", "telefoon"]
    assert sorted(row[1] for row in rows[1:]) == ["anna@example.org", "evil@example.org"]
    assert "GEHEIME NOTITIE" not in body
    assert all(not row[0].startswith("=") for row in rows[1:])
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "participant.export_contacts")
        )
        assert event.details["count"] == 2


def test_staff_can_delete_a_participant(
    app: Flask, client: FlaskClient, logged_in, create_participant
) -> None:
    logged_in("ambassadeur")
    participant_id = create_participant()
    post_form(client, f"/poule/{participant_id}", {}, action=f"/poule/{participant_id}/verwijderen")
    with app.app_context():
        assert db.session.get(Participant, participant_id) is not None
    post_form(
        client,
        f"/poule/{participant_id}",
        {"zeker": "ja"},
        action=f"/poule/{participant_id}/verwijderen",
    )
    with app.app_context():
        assert db.session.get(Participant, participant_id) is None


def test_ketenpartner_cannot_see_the_pool(
    client: FlaskClient, logged_in, create_participant
) -> None:
    logged_in("ketenpartner")
    participant_id = create_participant()
    assert client.get("/poule/").status_code == 403
    assert client.get(f"/poule/{participant_id}").status_code == 403
    assert client.get("/poule/export").status_code == 403


def test_invitable_selection_respects_status_and_consent(app: Flask, create_participant) -> None:
    from participatie.participants.models import ConsentPurpose
    from participatie.participants.queries import PoolFilter, invitable

    yes = create_participant(display_name="Ja")
    create_participant(display_name="Pauze", status="paused")
    create_participant(display_name="Geen", consents=("pool",))
    create_participant(display_name="Nieuw", status="new")
    with app.app_context():
        surveys = [p.display_name for p in invitable(PoolFilter(), ConsentPurpose.SURVEYS)]
        sessions = [p.id for p in invitable(PoolFilter(), ConsentPurpose.POOL)]
    assert surveys == ["Ja"]
    assert yes in sessions and len(sessions) == 2
