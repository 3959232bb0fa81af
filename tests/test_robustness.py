"""Nothing a browser or curl can send gives a 500: odd ids, odd query strings, odd form data."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token_from, login

ODD_NUMBERS = ["99999999999999999999", "2147483648", "0", "-1"]
ODD_QUERY = {
    "pagina": "99999999999999999999",
    "jaar": "-5",
    "gemeente": "99999999999",
    "organisatie": "abc",
    "rol": "<script>",
    "zoek": "%' OR 1=1 --" + "x" * 500,
    "sorteer": "id; DROP TABLE users",
    "next": "//evil.example",
    "taal": "ar<script>",
}


def rules(app: Flask, method: str) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if method in (rule.methods or set()) and rule.endpoint != "static":
            found.append((rule.endpoint, rule.rule))
    return sorted(found)


@pytest.mark.parametrize("visitor", ["anonymous", "beheerder"])
def test_odd_ids_and_query_strings_never_give_a_server_error(
    app: Flask, client: FlaskClient, create_user, visitor: str
) -> None:
    if visitor != "anonymous":
        login(client, create_user(visitor))
    problems = []
    for endpoint, rule in rules(app, "GET"):
        if endpoint in ("auth.logout", "participants.manage_logout"):
            continue
        variants = [rule]
        if "<" in rule:
            variants = [re.sub(r"<(?:int:)?[^>]+>", number, rule) for number in ODD_NUMBERS]
            variants.append(re.sub(r"<[^>]+>", "%00%ff..", rule))
        for path in variants:
            response = client.get(path, query_string=ODD_QUERY)
            if response.status_code >= 500:
                problems.append((endpoint, path, response.status_code))
    assert problems == []


def test_odd_form_data_never_gives_a_server_error(
    app: Flask, client: FlaskClient, create_user, create_participant
) -> None:
    login(client, create_user("beheerder"))
    participant_id = create_participant()
    token = csrf_token_from(client.get("/medewerkers/").get_data(as_text=True))
    garbage = {
        "csrf_token": token,
        "email": "x" * 400 + "@example.org",
        "display_name": "\x00" * 10,
        "role": "koning",
        "age_band": "200+",
        "municipality_id": "99999999999999",
        "organisation_ids": ["abc", "99999999999"],
        "interests": ["fly"],
        "languages": ["xx"],
        "status": "deleted",
        "amount": "1e309",
        "hours": "NaN",
        "activity_date": "2026-02-30",
        "text": "x" * 5000,
        "paid": "maybe",
        "active": "2",
        "code": "１２３４５６",
        "taal": ["xx", "ar"],
        "go": "language:<script>",
        "title": "x" * 5000,
        "option-parent": "\x00",
    }
    problems = []
    for endpoint, rule in rules(app, "POST"):
        if endpoint in ("auth.logout",):
            continue
        path = re.sub(r"<int:[^>]+>", str(participant_id), rule)
        path = re.sub(r"<[^>]+>", "onbekend", path)
        response = client.post(path, data=garbage)
        if response.status_code >= 500:
            problems.append((endpoint, path, response.status_code))
    assert problems == []


ODD_FIELD_VALUES = [
    "9" * 400,
    "-" + "9" * 30,
    "1e309",
    "NaN",
    "inf",
    "\x00",
    "%ff",
    "2026-02-30",
    "25:61",
    "１２",
    "\u202e",
    " ",
    "x" * 30_000,
]


def every_form_class() -> list[type]:
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import participatie

    for module in pkgutil.walk_packages(participatie.__path__, "participatie."):
        importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return sorted(set(subclasses(FlaskForm)), key=lambda c: f"{c.__module__}.{c.__name__}")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_form_turns_odd_values_into_field_errors(app: Flask) -> None:
    """Each form in the project, every field filled with each odd value (also twice), validates
    without an exception: a form error is fine, a crash would be a 500."""
    from werkzeug.datastructures import MultiDict

    forms = every_form_class()
    assert len(forms) > 20
    problems = []
    for form_class in forms:
        for value in ODD_FIELD_VALUES:
            with app.test_request_context(method="POST"):
                names = [field.name for field in form_class(meta={"csrf": False})]
                formdata = MultiDict([(name, v) for name in names for v in (value, value)])
                form = form_class(formdata=formdata, meta={"csrf": False})
                for field in form:
                    if getattr(field, "choices", ()) is None:
                        field.choices = []  # views always set runtime choices
                try:
                    form.validate()
                except Exception as error:  # collected and reported below
                    problems.append((form_class.__name__, repr(value)[:20], repr(error)[:120]))
    assert problems == []
