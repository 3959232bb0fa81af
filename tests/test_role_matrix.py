"""Every route × every kind of visitor → the expected status.

A new route fails `test_every_route_is_in_the_matrix` until someone decides who may see it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login

PUBLIC = {"anonymous", "beheerder", "ambassadeur", "ketenpartner"}
STAFF = {"beheerder", "ambassadeur", "ketenpartner"}
ADMIN = {"beheerder"}
POOL = {"beheerder", "ambassadeur"}

# endpoint -> (method, url, who may use it, status for those allowed)
MATRIX: dict[str, tuple[str, str, set[str], int]] = {
    "public.home": ("GET", "/", PUBLIC, 200),
    "public.help_now": ("GET", "/hulp", PUBLIC, 200),
    "public.privacy": ("GET", "/privacy", PUBLIC, 200),
    "public.accessibility": ("GET", "/toegankelijkheid", PUBLIC, 200),
    "public.healthz": ("GET", "/healthz", PUBLIC, 200),
    "public.favicon": ("GET", "/favicon.ico", PUBLIC, 200),
    "static": ("GET", "/static/css/main.css", PUBLIC, 200),
    "i18n.switch_language": ("GET", "/taal/en?next=/", PUBLIC, 303),
    "auth.login": ("GET", "/medewerkers/inloggen", {"anonymous"}, 200),
    "auth.second_factor": ("GET", "/medewerkers/inloggen/code", set(), 200),
    "auth.setup_totp": ("GET", "/medewerkers/tweestaps", set(), 200),
    "auth.setup_totp_qr": ("GET", "/medewerkers/tweestaps/qr.svg", set(), 200),
    "auth.logout": ("POST", "/medewerkers/uitloggen", STAFF, 302),
    "auth.change_password": ("GET", "/medewerkers/wachtwoord", STAFF, 200),
    "auth.dashboard": ("GET", "/medewerkers/", STAFF, 200),
    "admin.index": ("GET", "/beheer/", ADMIN, 302),
    "admin.users": ("GET", "/beheer/gebruikers", ADMIN, 200),
    "admin.create_user": ("GET", "/beheer/gebruikers/nieuw", ADMIN, 200),
    "admin.user_detail": ("GET", "/beheer/gebruikers/{user_id}", ADMIN, 200),
    "admin.user_status": ("POST", "/beheer/gebruikers/{other_id}/status", ADMIN, 302),
    "admin.user_reset": ("POST", "/beheer/gebruikers/{other_id}/herstellen", ADMIN, 200),
    "admin.organisations": ("GET", "/beheer/organisaties", ADMIN, 200),
    "admin.municipalities": ("GET", "/beheer/gemeenten", ADMIN, 200),
    "admin.audit_log": ("GET", "/beheer/logboek", ADMIN, 200),
    "participants.signup": ("GET", "/meedoen", PUBLIC, 200),
    "participants.signup_done": ("GET", "/meedoen/bijna-klaar", PUBLIC, 200),
    "participants.confirm_email": ("GET", "/meedoen/bevestigen/onbekend", PUBLIC, 410),
    "participants.confirm_guardian": ("GET", "/meedoen/toestemming-ouder/onbekend", PUBLIC, 410),
    "participants.confirm_stay": ("GET", "/mijn-gegevens/blijven/onbekend", PUBLIC, 410),
    "participants.manage_request": ("GET", "/mijn-gegevens/inloggen", PUBLIC, 200),
    "participants.manage_signin": ("GET", "/mijn-gegevens/link/onbekend", PUBLIC, 410),
    # Without a participant's own sign-in link every 'Mijn gegevens' page leads to the link form.
    "participants.manage": ("GET", "/mijn-gegevens", PUBLIC, 302),
    "participants.manage_edit": ("GET", "/mijn-gegevens/wijzigen", PUBLIC, 302),
    "participants.manage_consents": ("GET", "/mijn-gegevens/toestemming", PUBLIC, 302),
    "participants.manage_pause": ("POST", "/mijn-gegevens/pauze", PUBLIC, 302),
    "participants.manage_download": ("GET", "/mijn-gegevens/download.json", PUBLIC, 302),
    "participants.manage_delete": ("GET", "/mijn-gegevens/verwijderen", PUBLIC, 302),
    "participants.manage_logout": ("POST", "/mijn-gegevens/uitloggen", PUBLIC, 303),
    "pool.overview": ("GET", "/poule/", POOL, 200),
    "pool.detail": ("GET", "/poule/{participant_id}", POOL, 200),
    "pool.add_note": ("POST", "/poule/{participant_id}/notitie", POOL, 400),
    "pool.change_status": ("POST", "/poule/{participant_id}/status", POOL, 303),
    "pool.confirm_by_phone": ("POST", "/poule/{participant_id}/bevestigd-per-telefoon", POOL, 303),
    "pool.delete": ("POST", "/poule/{participant_id}/verwijderen", POOL, 303),
    "pool.export_contacts": ("GET", "/poule/export", POOL, 200),
    "allowances.create": ("GET", "/vergoedingen/nieuw/{participant_id}", POOL, 200),
    "allowances.mark_paid": ("POST", "/vergoedingen/{allowance_id}/betaald", POOL, 303),
    "allowances.overview": ("GET", "/vergoedingen/", POOL, 200),
    "allowances.export": ("GET", "/vergoedingen/export.csv", POOL, 200),
    "groupsessions.agenda": ("GET", "/bijeenkomsten/", PUBLIC, 200),
    "groupsessions.feed": ("GET", "/bijeenkomsten/agenda.ics", PUBLIC, 200),
    "groupsessions.calendar_file": ("GET", "/bijeenkomsten/{session_id}.ics", PUBLIC, 200),
    "groupsessions.detail": ("GET", "/bijeenkomsten/{session_id}", PUBLIC, 200),
    "groupsessions.registration": ("GET", "/bijeenkomsten/aanmelding/onbekend", PUBLIC, 404),
    "organise.sessions": ("GET", "/organiseren/", POOL, 200),
    "organise.detail": ("GET", "/organiseren/{session_id}", POOL, 200),
    "organise.create": ("GET", "/organiseren/nieuw", POOL, 200),
    "organise.edit": ("GET", "/organiseren/{session_id}/bewerken", POOL, 200),
    "organise.publish": ("POST", "/organiseren/{session_id}/publiceren", POOL, 303),
    "organise.cancel": ("GET", "/organiseren/{session_id}/afgelasten", POOL, 200),
    "organise.invite": ("GET", "/organiseren/{session_id}/uitnodigen", POOL, 200),
    "organise.attendance_list": ("GET", "/organiseren/{session_id}/presentielijst", POOL, 200),
    "organise.attendance": ("GET", "/organiseren/{session_id}/aanwezigheid", POOL, 200),
    "organise.notes": ("GET", "/organiseren/{session_id}/verslag", POOL, 200),
    "surveys.start": ("GET", "/enquete/{wave_key}", PUBLIC, 200),
    "surveys.answer": ("POST", "/enquete/{wave_key}", PUBLIC, 200),
    "surveys.invitation": ("GET", "/enquete/uitnodiging/onbekend", PUBLIC, 404),
    "surveys.thanks": ("GET", "/enquete/{wave_key}/bedankt", PUBLIC, 200),
    "surveys.resume": ("GET", "/enquete/verder", PUBLIC, 200),
    "surveys.resume_link": ("GET", "/enquete/verder/onbekend", PUBLIC, 410),
    "surveys_staff.templates": ("GET", "/enquetes/", POOL, 200),
    "surveys_staff.create_template": ("GET", "/enquetes/nieuw", POOL, 200),
    "surveys_staff.template": ("GET", "/enquetes/sjablonen/{template_id}", POOL, 200),
    "surveys_staff.edit_texts": ("GET", "/enquetes/sjablonen/{template_id}/teksten", POOL, 200),
    "surveys_staff.preview": ("GET", "/enquetes/sjablonen/{template_id}/voorbeeld", POOL, 200),
    "surveys_staff.add_section": (
        "GET",
        "/enquetes/sjablonen/{template_id}/onderdelen/nieuw",
        POOL,
        200,
    ),
    "surveys_staff.edit_section": ("GET", "/enquetes/onderdelen/{section_id}/bewerken", POOL, 200),
    "surveys_staff.move_section": (
        "POST",
        "/enquetes/onderdelen/{section_id}/verplaatsen",
        POOL,
        400,
    ),
    "surveys_staff.delete_section": (
        "GET",
        "/enquetes/onderdelen/{section_id}/verwijderen",
        POOL,
        200,
    ),
    "surveys_staff.add_question": (
        "GET",
        "/enquetes/onderdelen/{section_id}/vragen/nieuw",
        POOL,
        200,
    ),
    "surveys_staff.edit_question": ("GET", "/enquetes/vragen/{question_id}/bewerken", POOL, 200),
    "surveys_staff.move_question": (
        "POST",
        "/enquetes/vragen/{question_id}/verplaatsen",
        POOL,
        400,
    ),
    "surveys_staff.delete_question": (
        "GET",
        "/enquetes/vragen/{question_id}/verwijderen",
        POOL,
        200,
    ),
    "surveys_staff.create_wave": ("GET", "/enquetes/sjablonen/{template_id}/ronde", POOL, 200),
    "surveys_staff.archive_template": (
        "GET",
        "/enquetes/sjablonen/{template_id}/archiveren",
        POOL,
        200,
    ),
    "surveys_staff.restore_template": (
        "POST",
        "/enquetes/sjablonen/{template_id}/terugzetten",
        POOL,
        303,
    ),
    "surveys_staff.wave": ("GET", "/enquetes/rondes/{wave_id}", POOL, 200),
    "surveys_staff.edit_wave": ("GET", "/enquetes/rondes/{planned_wave_id}/wijzigen", POOL, 200),
    "surveys_staff.cancel_wave": (
        "GET",
        "/enquetes/rondes/{planned_wave_id}/annuleren",
        POOL,
        200,
    ),
    "surveys_staff.stop_recurrence": (
        "GET",
        "/enquetes/rondes/{planned_wave_id}/herhaling-stoppen",
        POOL,
        200,
    ),
    "surveys_staff.open_wave": ("POST", "/enquetes/rondes/{wave_id}/openen", POOL, 303),
    "surveys_staff.remind": ("POST", "/enquetes/rondes/{wave_id}/herinneren", POOL, 303),
    "surveys_staff.close_wave": ("GET", "/enquetes/rondes/{wave_id}/sluiten", POOL, 200),
    "surveys_staff.qr_svg": ("GET", "/enquetes/rondes/{wave_id}/qr.svg", POOL, 200),
    "surveys_staff.qr_png": ("GET", "/enquetes/rondes/{wave_id}/qr.png", POOL, 200),
    "survey_results.index": ("GET", "/enquetes/resultaten/", STAFF, 200),
    "survey_results.wave": ("GET", "/enquetes/resultaten/rondes/{wave_id}", STAFF, 200),
    "survey_results.compare": (
        "GET",
        "/enquetes/resultaten/rondes/{closed_wave_id}/vergelijking",
        STAFF,
        200,
    ),
    "survey_results.export_csv": (
        "GET",
        "/enquetes/resultaten/rondes/{closed_wave_id}/export.csv",
        STAFF,
        200,
    ),
    "survey_results.export_xlsx": (
        "GET",
        "/enquetes/resultaten/rondes/{closed_wave_id}/export.xlsx",
        STAFF,
        200,
    ),
    "themes.overview": ("GET", "/themas/", POOL, 200),
    "themes.review_list": ("GET", "/themas/beoordelen", POOL, 200),
    "themes.create": ("GET", "/themas/nieuw", POOL, 200),
    "themes.edit": ("GET", "/themas/{theme_id}/bewerken", POOL, 200),
    "themes.retire": ("GET", "/themas/{theme_id}/stoppen", POOL, 200),
    "themes.merge": ("GET", "/themas/{theme_id}/samenvoegen", POOL, 200),
    "themes.reactivate": ("POST", "/themas/{theme_id}/weer-gebruiken", POOL, 303),
    "themes.decide": ("POST", "/themas/beoordelen/999999", POOL, 404),
    "themes.from_suggestion": ("POST", "/themas/voorstel", POOL, 303),
    "devtools.outbox": ("GET", "/medewerkers/outbox/", STAFF, 200),
    "devtools.message": ("GET", "/medewerkers/outbox/{mail_name}", STAFF, 200),
}

VISITORS = ["anonymous", "beheerder", "ambassadeur", "ketenpartner"]


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "classify new routes in MATRIX"


@pytest.fixture
def app_config() -> dict[str, object]:
    # The outbox page only exists with the file backend, so this module uses it.
    return {"MAIL_BACKEND": "file"}


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_access_per_visitor(
    app: Flask, client: FlaskClient, create_user, create_participant, create_session, visitor: str
) -> None:
    from participatie.mail import build_message, send

    other = create_user("ambassadeur")
    me = None
    if visitor != "anonymous":
        me = create_user(visitor)
        login(client, me)
    with app.app_context():
        send(build_message("x@example.org", "Test", "Hallo"))
    from pathlib import Path

    mail_name = sorted(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))[-1].name
    from datetime import date

    from participatie.allowances.models import Allowance
    from participatie.db import db

    participant_id = create_participant()
    session_id = create_session()
    with app.app_context():
        allowance = Allowance(
            participant_id=participant_id,
            activity="Panel",
            activity_date=date(2026, 1, 5),
            minutes=60,
            amount_cents=500,
            under_21=False,
        )
        db.session.add(allowance)
        db.session.commit()
        allowance_id = allowance.id
    survey = _open_survey(app)
    values = {
        **survey,
        "user_id": other.id,
        "other_id": other.id,
        "mail_name": mail_name,
        "participant_id": participant_id,
        "allowance_id": allowance_id,
        "session_id": session_id,
    }
    from tests.conftest import csrf_token_from

    token = None
    if me is not None:
        token = csrf_token_from(client.get("/medewerkers/").get_data(as_text=True))
    else:
        token = csrf_token_from(client.get("/medewerkers/inloggen").get_data(as_text=True))

    failures = []
    # Logout last: it ends the session the other checks need.
    for endpoint, (method, url, allowed, ok_status) in sorted(
        MATRIX.items(),
        key=lambda item: {"participants.manage_logout": 1, "auth.logout": 2}.get(item[0], 0),
    ):
        target = url.format(**values)
        if method == "POST":
            response = client.post(target, data={"csrf_token": token, "active": "1"})
        else:
            response = client.get(target)
        if visitor in allowed:
            expected = {ok_status}
        elif visitor == "anonymous" and endpoint not in (
            "auth.second_factor",
            "auth.setup_totp",
            "auth.setup_totp_qr",
        ):
            expected = {302}  # to the login page
        elif endpoint == "auth.login":
            expected = {302}  # already signed in: to the dashboard
        elif endpoint.startswith("auth.") and endpoint != "auth.login":
            expected = {302, 404}  # no pending login: back to the login page
        else:
            expected = {403}
        if response.status_code not in expected:
            failures.append((endpoint, response.status_code, expected))
        if visitor == "anonymous" and response.status_code == 302:
            if endpoint.startswith("participants."):
                assert response.headers["Location"] == "/mijn-gegevens/inloggen", endpoint
            elif endpoint not in ("i18n.switch_language", "auth.second_factor", "auth.setup_totp"):
                assert "/medewerkers/inloggen" in response.headers["Location"], endpoint
    assert failures == []


def _open_survey(app: Flask) -> dict[str, object]:
    """A template of the survey tests and an open wave of it with an open link."""
    import copy
    from datetime import timedelta

    from participatie.db import db
    from participatie.surveys import operations
    from tests.surveys.conftest import SMALL_SPEC

    with app.app_context():
        template = operations.create_template(copy.deepcopy(SMALL_SPEC))
        today = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=today, closes_on=today, open_link=True, invite_pool=False
        )
        operations.open_wave(None, wave)
        closed = operations.create_wave(
            None, template, opens_on=today, closes_on=today, open_link=False, invite_pool=False
        )
        operations.open_wave(None, closed)
        operations.close_wave(None, closed)
        planned = operations.create_wave(
            None,
            template,
            opens_on=today + timedelta(days=7),
            closes_on=today + timedelta(days=30),
            recurrence_months=3,
        )
        db.session.commit()
        section = template.latest_version.sections[0]
        from participatie.themes.models import Theme
        from participatie.themes.operations import ensure_codebook

        ensure_codebook()
        db.session.commit()
        theme_id = db.session.scalars(select(Theme.id).order_by(Theme.id)).first()
        return {
            "theme_id": theme_id,
            "template_id": template.id,
            "section_id": section.id,
            "question_id": section.questions[0].id,
            "wave_id": wave.id,
            "wave_key": wave.public_key,
            "closed_wave_id": closed.id,
            "planned_wave_id": planned.id,
        }


def test_staff_pages_need_the_second_factor(client: FlaskClient, create_user) -> None:
    from tests.conftest import post_form

    account = create_user("beheerder")
    post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    for endpoint, (method, url, allowed, _) in MATRIX.items():
        if method == "GET" and allowed in (STAFF, ADMIN) and "{" not in url:
            assert client.get(url).status_code == 302, endpoint
