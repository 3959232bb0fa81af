"""The theme pages: who may see them, reviewing through the browser path, managing themes, and
emerging phrases becoming a theme in one step."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.surveys import queries as survey_queries
from participatie.surveys.models import SurveyAnswer
from participatie.themes import queries
from participatie.themes.models import CoderEvaluation, Theme, ThemeReview
from tests.conftest import csrf_token_from, post_form
from tests.themes.conftest import answers_of

WAITING_LIST = "De wachtlijst was veel te lang."
COFFEE = [
    "Er was geen gratis koffie bij de fietsenstalling.",
    "Gratis koffie zou fijn zijn.",
    "Ik miste gratis koffie in de hal.",
    "Gratis koffie bij het gesprek was prettig geweest.",
    "Waarom is er geen gratis koffie?",
]

GET_PAGES = [
    "/themas/",
    "/themas/beoordelen",
    "/themas/nieuw",
    "/themas/{theme_id}/bewerken",
    "/themas/{theme_id}/stoppen",
    "/themas/{theme_id}/samenvoegen",
]
POST_PAGES = [
    "/themas/beoordelen/{answer_id}",
    "/themas/{theme_id}/weer-gebruiken",
    "/themas/voorstel",
]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"K_THRESHOLD": 5}


def _theme(slug: str) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.slug == slug)).one()


def _ids(app: Flask, wave_id: int) -> dict[str, int]:
    with app.app_context():
        return {"theme_id": _theme("roles").id, "answer_id": answers_of(wave_id)[0].id}


def test_chain_partners_get_403_and_visitors_the_login_page(
    app: Flask,
    client: FlaskClient,
    closed_wave: Callable[..., int],
    logged_in: Callable[..., Any],
) -> None:
    ids = _ids(app, closed_wave([WAITING_LIST] * 5))
    for page in GET_PAGES:
        response = client.get(page.format(**ids))
        assert response.status_code == 302
        assert "/medewerkers/inloggen" in response.headers["Location"]
    token = csrf_token_from(client.get("/medewerkers/inloggen").text)
    for page in POST_PAGES:
        response = client.post(page.format(**ids), data={"csrf_token": token})
        assert response.status_code == 302
        assert "/medewerkers/inloggen" in response.headers["Location"]
    logged_in("ketenpartner")
    for page in GET_PAGES:
        assert client.get(page.format(**ids)).status_code == 403, page
    token = csrf_token_from(client.get("/medewerkers/").text)
    for page in POST_PAGES:
        assert client.post(page.format(**ids), data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("role", ["ambassadeur", "beheerder"])
def test_staff_see_every_page(
    app: Flask,
    client: FlaskClient,
    closed_wave: Callable[..., int],
    logged_in: Callable[..., Any],
    role: str,
) -> None:
    ids = _ids(app, closed_wave([WAITING_LIST] * 5))
    logged_in(role)
    for page in GET_PAGES:
        response = client.get(page.format(**ids))
        assert response.status_code == 200, page
        assert response.text.count("<h1") == 1
        assert "style=" not in response.text


def test_odd_ids_and_query_strings_give_404_or_a_page(
    app: Flask,
    client: FlaskClient,
    closed_wave: Callable[..., int],
    open_wave_with_answers: Callable[..., int],
    logged_in: Callable[..., Any],
) -> None:
    closed_wave([WAITING_LIST] * 5)
    open_id = open_wave_with_answers([WAITING_LIST] * 5)
    with app.app_context():
        open_answer = answers_of(open_id)[0].id
    logged_in()
    for query in (
        "wave=abc&theme=%3Cscript%3E&status=x&page=-1",
        "page=99999999999999999999",
        "wave=99999999999999&theme=roles&status=done&page=2",
        "theme=timely_care&theme=roles",
        f"wave={open_id}",
    ):
        response = client.get(f"/themas/beoordelen?{query}")
        assert response.status_code == 200, query
        assert "<script>" not in response.text
    for page in ("/themas/999999/bewerken", "/themas/999999/samenvoegen", "/themas/0/stoppen"):
        assert client.get(page).status_code == 404
    token = csrf_token_from(client.get("/themas/").text)
    data = {"csrf_token": token, "theme": "timely_care", "decision": "confirmed"}
    assert client.post("/themas/beoordelen/999999", data=data).status_code == 404
    # An answer of an open wave cannot be reviewed, even by guessing its id.
    assert client.post(f"/themas/beoordelen/{open_answer}", data=data).status_code == 404
    assert client.post("/themas/999999/weer-gebruiken", data=data).status_code == 404


def test_review_list_highlights_evidence_and_decisions_go_through_the_form(
    app: Flask, client: FlaskClient, closed_wave: Callable[..., int], logged_in: Callable[..., Any]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 5 + ["Ik <b>wist</b> het niet."])
    logged_in()
    page = client.get(f"/themas/beoordelen?wave={wave_id}&status=open")
    assert page.status_code == 200
    assert "<mark>wachtlijst</mark>" in page.text
    assert "Ik &lt;b&gt;wist&lt;/b&gt; het niet." in page.text
    answer_id = int(re.search(r'id="antwoord-(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    token = csrf_token_from(page.text)
    back = {"back_wave": str(wave_id), "back_status": "open", "back_page": "1"}
    with app.app_context():
        coded = queries.slugs_of(db.session.get_one(SurveyAnswer, answer_id).themes)
    slug = coded[0] if coded else "timely_care"
    decision = "rejected" if coded else "added"
    response = client.post(
        f"/themas/beoordelen/{answer_id}",
        data={"csrf_token": token, "theme": slug, "decision": decision, **back},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/themas/beoordelen?wave={wave_id}&status=open#antwoord-{answer_id}"
    )
    with app.app_context():
        row = db.session.scalars(select(ThemeReview)).one()
        assert (row.answer_id, row.theme_slug, row.decision) == (answer_id, slug, decision)
    # Bad input: a clear message, nothing stored, never a 500.
    for data in (
        {"theme": slug, "decision": "maybe"},
        {"theme": "", "decision": "added"},
        {"theme": "no_such_theme", "decision": "added"},
        {"theme": "roles", "decision": "confirmed"},
    ):
        response = client.post(
            f"/themas/beoordelen/{answer_id}", data={"csrf_token": token, **data, **back}
        )
        assert response.status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(ThemeReview)).all()) == 1
    followed = client.get(response.headers["Location"])
    assert "flash-error" in followed.text


def test_editing_a_theme_keeps_history_and_bad_terms_keep_the_input(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], closed_wave: Callable[..., int]
) -> None:
    closed_wave([WAITING_LIST] * 5)
    logged_in()
    with app.app_context():
        theme_id = _theme("roles").id
    url = f"/themas/{theme_id}/bewerken"
    form = client.get(url)
    assert "verantwoordelijk" in form.text
    data = {
        "label_nl": "Wie doet wat",
        "label_en": "Who does what",
        "description_nl": "",
        "description_en": "",
        "terms_nl": "verantwoordelijk\nvolgende stap = 1,5",
        "terms_en": "responsible",
    }
    bad = post_form(client, url, data)
    assert bad.status_code == 400
    assert "Regel 2" in bad.text and "Wie doet wat" in bad.text
    data["terms_nl"] = "verantwoordelijk\nvolgende stap = 0,4\n\n"
    response = post_form(client, url, data)
    assert response.status_code == 303
    with app.app_context():
        theme = db.session.get_one(Theme, theme_id)
        assert theme.label_nl == "Wie doet wat"
        assert theme.indicators["nl"] == {
            "lemmas": {"verantwoordelijk": 0.6},
            "phrases": {"volgende stap": 0.4},
        }
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "theme.updated")
        ).one()
        assert event.object_id == str(theme_id)
        assert set(event.details["fields"]) >= {"label_nl", "label_en", "indicators_nl"}


def test_a_new_theme_needs_a_free_slug(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("beheerder")
    with app.app_context():
        from participatie.themes.operations import ensure_codebook

        ensure_codebook()
        db.session.commit()
    data = {"slug": "roles", "label_nl": "Rollen opnieuw", "terms_nl": "rol"}
    taken = post_form(client, "/themas/nieuw", data)
    assert taken.status_code == 400 and "al een thema met deze code" in taken.text
    data["slug"] = "vervoer"
    assert post_form(client, "/themas/nieuw", data).status_code == 303
    with app.app_context():
        theme = _theme("vervoer")
        assert (theme.label_en, theme.indicators["nl"]["lemmas"]) == (
            "Rollen opnieuw",
            {"rol": 0.6},
        )


def test_merged_theme_counts_under_its_target_and_answers_keep_their_slug(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], closed_wave: Callable[..., int]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 3 + ["Ik wist niet wie verantwoordelijk was."] * 3)
    logged_in()
    with app.app_context():
        source, target = _theme("timely_care"), _theme("roles")
        counts = {row.theme.slug: row.respondents for row in queries.theme_overview()}
        assert (counts["timely_care"], counts["roles"]) == (None, None)  # 3 each: below k
        source_id, target_id = source.id, target.id
    response = post_form(client, f"/themas/{source_id}/samenvoegen", {"target": str(target_id)})
    assert response.status_code == 303
    with app.app_context():
        counts = {row.theme.slug: row.respondents for row in queries.theme_overview()}
        assert counts["roles"] == 6
        assert counts["timely_care"] is None
        merged = db.session.get_one(Theme, source_id)
        assert (merged.is_active, merged.merged_into_id) == (False, target_id)
        assert "timely_care" in [t["slug"] for a in answers_of(wave_id) for t in a.themes]
        assert (
            db.session.scalar(
                select(AuditEvent.details).where(AuditEvent.action == "theme.merged")
            )["into"]
            == "roles"
        )
        assert "timely_care" not in [spec.slug for spec in queries.active_codebook()]
    overview = client.get("/themas/")
    assert "samengevoegd met" in overview.text
    # Merging into itself or again is refused without a 500.
    again = post_form(client, f"/themas/{source_id}/samenvoegen", {"target": str(source_id)})
    assert again.status_code == 400


def test_retire_and_reactivate(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], closed_wave: Callable[..., int]
) -> None:
    closed_wave([WAITING_LIST] * 5)
    logged_in()
    with app.app_context():
        theme_id = _theme("reporting").id
    assert post_form(client, f"/themas/{theme_id}/stoppen", {}).status_code == 303
    with app.app_context():
        assert not db.session.get_one(Theme, theme_id).is_active
    response = post_form(client, "/themas/", {}, action=f"/themas/{theme_id}/weer-gebruiken")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get_one(Theme, theme_id).is_active
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "theme")
        ).all()
        assert {"theme.retired", "theme.reactivated"} <= set(actions)


def test_an_emerging_phrase_becomes_a_theme_in_one_step(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], closed_wave: Callable[..., int]
) -> None:
    closed_wave([*COFFEE, *["Mevrouw Bakker van het wijkteam kwam langs."] * 5])
    with app.app_context():
        phrases = {p.lemmas: p for p in queries.emerging_phrases()}
        assert phrases["gratis koffie"].respondents == 5
        assert not any("[" in lemmas for lemmas in phrases)
    logged_in()
    overview = client.get("/themas/")
    assert "gratis koffie" in overview.text
    form = {"lemmas": "gratis koffie", "phrase": "gratis koffie", "language": "nl"}
    response = post_form(client, "/themas/", form, action="/themas/voorstel")
    assert response.status_code == 303
    with app.app_context():
        theme = _theme("gratis_koffie")
        assert (theme.label_nl, theme.label_en, theme.is_active) == (
            "Gratis koffie",
            "Gratis koffie",
            True,
        )
        assert theme.indicators["nl"]["phrases"] == {"gratis koffie": 1.0}
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "theme.created")
        ).one()
        assert event.details["source"] == "emerging_phrase"
        assert "gratis koffie" not in {p.lemmas for p in queries.emerging_phrases()}
        assert survey_queries.theme_labels("nl")["gratis_koffie"] == "Gratis koffie"
    # The same suggestion twice: a message, not a second theme.
    again = post_form(client, "/themas/", form, action="/themas/voorstel")
    assert again.status_code == 303
    assert "al een thema met deze code" in client.get(again.headers["Location"]).text


def test_overview_shows_the_latest_quality_figure(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], closed_wave: Callable[..., int]
) -> None:
    closed_wave([WAITING_LIST] * 5)
    with app.app_context():
        from participatie import clock

        db.session.add(
            CoderEvaluation(
                ran_at=clock.now(), answers=12, f1_before=0.71, f1_after=0.84, kept=True
            )
        )
        db.session.commit()
    logged_in()
    text = client.get("/themas/").text
    assert (
        "12 beoordeelde antwoorden: 71 van de 100 punten vóór het leren van uw beoordelingen,"
        " 84 erna" in text
    )
    assert "De computer gebruikt nu wat hij geleerd heeft." in text


# --- small numbers (DESIGN invariant 2) -----------------------------------------------------------

RESPONSIBLE = "Ik wist niet wie verantwoordelijk was."
NEUTRAL = "Verder heb ik niets te zeggen."


class _Tables(HTMLParser):
    """Every table of a page: its caption and the visible text of each cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def _tables(html: str) -> list[dict[str, Any]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


def _results_themes(html: str, slugs: dict[str, str]) -> dict[str, int]:
    """The theme table of a round's results page: slug → respondents shown."""
    tables = [t for t in _tables(html) if t["caption"].startswith("Thema’s die in minstens")]
    if not tables:
        return {}
    rows = [row for row in tables[0]["rows"] if len(row) == 2 and _number(row[1]) is not None]
    return {slugs[label]: int(count) for label, count in rows}


def _overview_counts(html: str) -> dict[str, int | None]:
    """The codebook table of /themas/: slug → the number in its Respondenten column."""
    (table,) = [t for t in _tables(html) if t["rows"] and t["rows"][0][:2] == ["Thema", "Code"]]
    return {row[1]: _number(row[3]) for row in table["rows"][1:]}


def test_the_overview_adds_up_only_what_the_results_of_each_round_show(
    app: Flask, client: FlaskClient, closed_wave: Callable[..., int], logged_in: Callable[..., Any]
) -> None:
    """k = 5. Round one shows 'waiting' and 'roles' (5 of 10 each). Round two hides 'waiting'
    (3 of 6); round three hides 'roles' (6 of 7: the one without it would be a group of one).
    A total over all answers (8 and 11) minus the figures round one shows would give both
    hidden numbers away; the overview may only add up what the rounds show."""
    shown = closed_wave([WAITING_LIST] * 5 + [RESPONSIBLE] * 5)
    small = closed_wave([WAITING_LIST] * 3 + [NEUTRAL] * 3)
    nearly_all = closed_wave([RESPONSIBLE] * 6 + [NEUTRAL])
    waves = (shown, small, nearly_all)
    with app.app_context():
        raw = survey_queries.theme_respondents(waves)
        assert (raw[small]["timely_care"], raw[nearly_all]["roles"]) == (3, 6)  # to be hidden
        slugs = {label: slug for slug, label in survey_queries.theme_labels("nl").items()}
    logged_in()
    per_wave = {
        wave_id: _results_themes(client.get(f"/enquetes/resultaten/rondes/{wave_id}").text, slugs)
        for wave_id in waves
    }
    assert per_wave[shown] == {"timely_care": 5, "roles": 5}
    assert "timely_care" not in per_wave[small] and "roles" not in per_wave[nearly_all]
    overview = _overview_counts(client.get("/themas/").text)
    for slug, total in overview.items():
        assert (total or 0) == sum(figures.get(slug, 0) for figures in per_wave.values()), slug
    assert (overview["timely_care"], overview["roles"]) == (5, 5)


def test_the_review_list_counts_answers_only_from_k(
    app: Flask, client: FlaskClient, closed_wave: Callable[..., int], logged_in: Callable[..., Any]
) -> None:
    small = closed_wave([WAITING_LIST] * 3 + [NEUTRAL] * 3)
    logged_in()
    few = client.get(f"/themas/beoordelen?wave={small}&theme=timely_care&status=all").text
    heading = re.search(r'<h2 id="antwoorden">(.*?)</h2>', few, re.DOTALL)
    assert heading is not None and heading.group(1).strip() == "Antwoorden"
    assert few.count('class="card" id="antwoord-') == 3  # the answers themselves, to review
    many = client.get(f"/themas/beoordelen?wave={small}&status=all").text
    heading = re.search(r'<h2 id="antwoorden">(.*?)</h2>', many, re.DOTALL)
    assert heading is not None and heading.group(1).strip() == "6 antwoorden"


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param([*COFFEE[:4], *[NEUTRAL] * 6], id="four-people"),
        pytest.param([*COFFEE, NEUTRAL], id="all-but-one"),
    ],
)
def test_a_phrase_is_suggested_only_when_its_number_may_be_shown(
    app: Flask,
    client: FlaskClient,
    closed_wave: Callable[..., int],
    logged_in: Callable[..., Any],
    texts: list[str],
) -> None:
    """k = 5: four people who write 'gratis koffie' are too few to be counted, and so are the
    one of six who did not."""
    closed_wave(texts)
    with app.app_context():
        assert "gratis koffie" not in {p.lemmas for p in queries.emerging_phrases()}
    logged_in()
    assert "gratis koffie" not in client.get("/themas/").text
