"""The staff results pages: who sees what, small numbers, filters, comparison, odd input."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie.db import db
from participatie.surveys import operations
from tests.surveys.test_results import SPEC, answers, run_wave, template_of

STORY = "Ik wist niet wie verantwoordelijk was. Bel mij op 0612345678."


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


def _main(html: str) -> str:
    return html.split('<main id="inhoud"', 1)[1].split("</main>", 1)[0]


def _row(html: str, label: str) -> str:
    """The cells of the first table row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, flags=re.DOTALL)
    assert match, label
    return match.group(1).strip()


def _wave_rows(html: str) -> dict[str, list[str]]:
    """The overview's rows: the title a row is headed by, and the text of its cells."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", _main(html), flags=re.DOTALL):
        title = re.search(r'<th scope="row">(.*?)</th>', row, flags=re.DOTALL)
        if title:
            cells = re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)
            rows[_text(title.group(1)).strip()] = [_text(cell).strip() for cell in cells]
    return rows


def _draft_wave(app: Flask, spec: dict[str, Any]) -> int:
    with app.app_context():
        template = operations.create_template(spec)
        today = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=9)
        )
        db.session.commit()
        return wave.id


@pytest.mark.parametrize("role", ["ambassadeur", "beheerder", "ketenpartner"])
def test_every_staff_role_sees_the_overview_and_a_wave(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask, role: str
) -> None:
    logged_in(role)
    wave_id = run_wave(app, 12 * [answers()])
    overview = client.get("/enquetes/resultaten/")
    assert overview.status_code == 200
    assert "Testenquête resultaten" in overview.get_data(as_text=True)
    page = client.get(f"/enquetes/resultaten/rondes/{wave_id}")
    assert page.status_code == 200
    assert client.get(f"/enquetes/resultaten/rondes/{wave_id}/vergelijking").status_code == 200


def test_anonymous_visitors_go_to_the_login_page(client: FlaskClient, app: Flask) -> None:
    wave_id = run_wave(app, 12 * [answers()])
    for url in (
        "/enquetes/resultaten/",
        f"/enquetes/resultaten/rondes/{wave_id}",
        f"/enquetes/resultaten/rondes/{wave_id}/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/medewerkers/inloggen" in response.headers["Location"]


def test_overview_shows_counts_from_k_and_less_than_k_below(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    run_wave(app, 12 * [answers()])
    run_wave(app, 4 * [answers()], spec={**SPEC, "slug": "klein", "title": {"nl": "Klein"}})
    _draft_wave(app, {**SPEC, "slug": "gepland", "title": {"nl": "Gepland"}})
    html = client.get("/enquetes/resultaten/").get_data(as_text=True)
    responses = {title: cells[-1] for title, cells in _wave_rows(html).items()}
    assert responses["Testenquête resultaten"] == "12"
    # Fewer than k: the number itself appears nowhere in the row, only "less than k".
    assert responses["Klein"] == "minder dan 10"
    assert responses["Gepland"] == "nog geen resultaten"


def test_draft_wave_has_no_results_yet(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = _draft_wave(app, SPEC)
    response = client.get(f"/enquetes/resultaten/rondes/{wave_id}")
    assert response.status_code == 200
    assert "nog geen resultaten" in response.get_data(as_text=True)


def test_unknown_wave_is_not_found(client: FlaskClient, logged_in: Callable[..., Any]) -> None:
    logged_in()
    for url in ("/rondes/999999", "/rondes/999999/vergelijking", "/rondes/999999/export.csv"):
        assert client.get("/enquetes/resultaten" + url).status_code == 404


def test_hidden_cell_and_empty_cell_look_the_same(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(
        app,
        20 * [answers(choice="x")] + 3 * [answers(choice="y")] + 15 * [answers(choice="w")],
    )
    html = client.get(f"/enquetes/resultaten/rondes/{wave_id}").get_data(as_text=True)
    hidden, empty = _row(html, "Optie y"), _row(html, "Optie z")
    assert hidden == empty
    assert "te weinig of geen antwoorden" in hidden
    assert "3" not in hidden
    # 3 is hidden, so the smallest shown cell (15) is hidden too; 20 stays.
    assert _row(html, "Optie w") == hidden
    assert "<td>20</td>" in _row(html, "Optie x")
    assert "53%" in _row(html, "Optie x")


def test_group_below_k_looks_the_same_as_an_empty_group(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    few = run_wave(app, 4 * [answers(story=STORY)], spec={**SPEC, "slug": "een"})
    none = run_wave(app, [], spec={**SPEC, "slug": "twee"})
    client.get("/enquetes/resultaten/")  # takes the "signed in" message
    pages = []
    for wave_id in (few, none):
        main = _main(client.get(f"/enquetes/resultaten/rondes/{wave_id}").get_data(as_text=True))
        pages.append(main.replace(f"/rondes/{wave_id}", "/rondes/N"))
    assert pages[0] == pages[1]
    assert "Te weinig antwoorden om te tonen" in pages[0]
    assert "minder dan 10" in pages[0]


def test_open_answers_for_ambassadors_not_for_chain_partners(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask, create_user: Any
) -> None:
    from tests.conftest import login

    wave_id = run_wave(app, 11 * [answers()] + [answers(story=STORY)])
    url = f"/enquetes/resultaten/rondes/{wave_id}"
    logged_in("ketenpartner")
    partner_page = client.get(url).get_data(as_text=True)
    assert "Open antwoorden" not in partner_page
    assert "verantwoordelijk" not in partner_page
    ambassador = app.test_client()
    login(ambassador, create_user("ambassadeur"))
    page = ambassador.get(url).get_data(as_text=True)
    assert "Open antwoorden" in page
    assert "Ik wist niet wie verantwoordelijk was." in page
    assert "0612345678" not in page  # only the text as scrubbed at release
    assert "[telefoon]" in page


def test_open_answers_hidden_when_group_below_k(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("beheerder")
    wave_id = run_wave(app, 9 * [answers(story=STORY)])
    page = client.get(f"/enquetes/resultaten/rondes/{wave_id}").get_data(as_text=True)
    assert "verantwoordelijk" not in page
    assert "Open antwoorden" not in page


def test_filter_is_applied_with_a_select_of_background_answers(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    wave_id = run_wave(
        app, 15 * [answers(role="parent")] + 12 * [answers(role="young", choice="w")]
    )
    url = f"/enquetes/resultaten/rondes/{wave_id}"
    html = client.get(url).get_data(as_text=True)
    assert '<select id="filter" name="filter"' in html
    assert '<option value="role:young">Optie young</option>' in html
    assert 'value="orgs:a"' in html
    assert 'value="choice:x"' not in html  # not a background question
    filtered = client.get(url, query_string={"filter": "role:young"}).get_data(as_text=True)
    assert '<option value="role:young" selected>' in filtered
    assert "Wie bent u?: Optie young" in filtered
    assert "<td>12</td>" in _row(filtered, "Optie w")
    assert "export.csv?filter=role:young" in filtered


def test_filter_with_small_rest_is_refused(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(app, 25 * [answers(role="parent")] + 3 * [answers(role="young")])
    response = client.get(
        f"/enquetes/resultaten/rondes/{wave_id}", query_string={"filter": "role:parent"}
    )
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "te weinig antwoorden om te tonen" in text
    assert " 25 " not in text and " 28 " not in text
    assert "Welke keuze?" not in text


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "a:b:c",
        "role:",
        ":",
        "role:parent:extra",
        "\x00",
        "role:%00",
        "x" * 5000,
        "choice:x",
    ],
)
def test_odd_query_strings_are_harmless(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask, raw: str
) -> None:
    logged_in()
    wave_id = run_wave(app, 12 * [answers()])
    for suffix in ("", "/vergelijking", "/export.csv", "/export.xlsx"):
        response = client.get(
            f"/enquetes/resultaten/rondes/{wave_id}{suffix}", query_string={"filter": raw}
        )
        assert response.status_code == 200, (suffix, raw)
    page = client.get(
        f"/enquetes/resultaten/rondes/{wave_id}", query_string=[("filter", raw), ("filter", "b")]
    )
    assert page.status_code == 200
    assert "Dit filter kennen we niet" in page.get_data(as_text=True)


def test_comparison_shows_each_wave_with_its_own_protection(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    first = run_wave(app, 12 * [answers(choice="x", grade="6")])
    second = run_wave(
        app,
        12 * [answers(choice="x", grade="8")] + 10 * [answers(choice="w", grade="9")],
        template_id=template_of(app, first),
    )
    html = client.get(f"/enquetes/resultaten/rondes/{second}/vergelijking").get_data(as_text=True)
    assert html.count("<h1") == 1
    text = _text(html)
    assert re.search(r"Ronde 1 .*? 12 12 100% ", text)
    assert re.search(r"Ronde 2 \(deze\) .*? 22 22 55% ", text)
    assert "8,5" in text and "6,0" in text
    assert "Wat wilt u nog kwijt?" not in text


def test_pages_have_one_h1_captions_scopes_and_no_inline_style_or_script(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in()
    wave_id = run_wave(app, 11 * [answers()] + [answers(story=STORY, choice="w")])
    for url in (
        "/enquetes/resultaten/",
        f"/enquetes/resultaten/rondes/{wave_id}",
        f"/enquetes/resultaten/rondes/{wave_id}/vergelijking",
    ):
        html = client.get(url).get_data(as_text=True)
        main = _main(html)
        assert main.count("<h1") == 1, url
        assert "style=" not in html, url
        assert "<script" not in html, url
        assert main.count("<table") == main.count("<caption>"), url
        assert "<th>" not in main, url
    wave_page = client.get(f"/enquetes/resultaten/rondes/{wave_id}").get_data(as_text=True)
    assert 'class="result-chart" aria-hidden="true"' in wave_page
    assert re.search(r'class="result-bar bar-(\d+)"', wave_page)


class TestLowerK:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"K_THRESHOLD": 5}

    def test_figures_follow_the_configured_k(
        self, client: FlaskClient, logged_in: Callable[..., Any], app: Flask
    ) -> None:
        logged_in()
        wave_id = run_wave(app, 6 * [answers(choice="x")] + 5 * [answers(choice="w")])
        html = client.get(f"/enquetes/resultaten/rondes/{wave_id}").get_data(as_text=True)
        assert "<td>6</td>" in _row(html, "Optie x")
        assert "<td>5</td>" in _row(html, "Optie w")
        assert "Aantallen onder de 5" in _text(html)


def _open_lists(html: str) -> list[list[str]]:
    """The open answers per question, in the order the page shows them."""
    return [
        re.findall(r'<p class="open-answer-text">(.*?)</p>', block, flags=re.DOTALL)
        for block in re.findall(r'<ul class="open-answers">(.*?)</ul>', html, flags=re.DOTALL)
    ]


TWO_OPEN = {
    **SPEC,
    "slug": "twee-open",
    "sections": [
        *SPEC["sections"],
        {
            "title": {"nl": "Nog iets"},
            "questions": [
                {
                    "code": "word",
                    "kind": "short_text",
                    "required": False,
                    "text": {"nl": "In één woord?"},
                }
            ],
        },
    ],
}
FRUIT = ["appel", "peer", "kiwi", "mango", "banaan", "citroen", "druif", "perzik", "pruim", "vijg"]


def test_open_answers_each_question_in_its_own_random_order(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    """One person's answers to two open questions must not stand at the same place in both
    lists (as they would when both are sorted by response id), nor always at the same place."""
    logged_in("ambassadeur")
    responses = []
    for fruit in FRUIT:
        given = answers(story=f"Het ging over de {fruit}.")
        given["word"] = fruit
        responses.append(given)
    wave_id = run_wave(app, responses + 2 * [answers()], spec=TWO_OPEN)
    orders = []
    for _ in range(4):
        stories, words = _open_lists(client.get(f"/enquetes/resultaten/rondes/{wave_id}").text)
        assert sorted(words) == sorted(FRUIT)
        by_story = [next(f for f in FRUIT if f in story) for story in stories]
        orders.append((tuple(by_story), tuple(words)))
    # Ten answers in the same order by chance: 1 in 3.6 million, four times over.
    assert any(story_order != word_order for story_order, word_order in orders)
    assert len({story_order for story_order, _ in orders}) > 1


def test_open_answers_only_for_the_whole_wave_not_under_a_filter(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ambassadeur")
    wave_id = run_wave(
        app,
        15 * [answers(role="parent", story="Ouders werden niet gehoord.")]
        + 12 * [answers(role="young", story="Jongeren werden niet gehoord.")],
    )
    url = f"/enquetes/resultaten/rondes/{wave_id}"
    whole = client.get(url).text
    assert "Ouders werden niet gehoord." in whole and "Jongeren werden niet gehoord." in whole
    filtered = client.get(url, query_string={"filter": "role:young"}).text
    assert "Wie bent u?: Optie young" in filtered
    assert "werden niet gehoord" not in filtered
    assert "Open antwoorden tonen we alleen voor de hele ronde" in filtered
    assert f'href="{url}#open-antwoorden"' in filtered


def test_filter_form_offers_only_groups_that_may_be_shown(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("ketenpartner")
    # 3 "other" are hidden, and with them the 12 "young" (or 15 - 3 would give the 3 away):
    # only the parents can be a filter, next to a rest of 15.
    wave_id = run_wave(
        app,
        15 * [answers(role="parent")] + 12 * [answers(role="young")] + 3 * [answers(role="other")],
    )
    url = f"/enquetes/resultaten/rondes/{wave_id}"
    html = client.get(url).text
    assert '<option value="role:parent">' in html
    assert 'value="role:young"' not in html and 'value="role:other"' not in html
    refused = client.get(url, query_string={"filter": "role:young"}).text
    assert "te weinig antwoorden om te tonen, in de groep zelf of daarbuiten" in _text(refused)
    assert "<td>12</td>" not in refused


def test_two_filters_side_by_side_do_not_give_the_rest_away(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    """The audit's example: parents 25, foster parents 20, the rest 11; 23 said yes, 12 of the
    parents and 10 of the foster parents. All three shown, the rest would have exactly 1."""
    logged_in("ketenpartner")
    spec = copy.deepcopy(SPEC)
    spec["slug"] = "drie-rollen"
    role = spec["sections"][0]["questions"][0]
    role["options"] = [
        {"value": v, "label": {"nl": f"Optie {v}"}} for v in ("parent", "foster", "a", "b")
    ]
    responses = []
    for role_value, yes, no in (("parent", 12, 13), ("foster", 10, 10), ("a", 1, 6), ("b", 0, 4)):
        responses += yes * [answers(role=role_value, helped="yes")]
        responses += no * [answers(role=role_value, helped="no")]
    wave_id = run_wave(app, responses, spec=spec)
    url = f"/enquetes/resultaten/rondes/{wave_id}"
    assert "<td>23</td>" in _row(client.get(url).text, "Ja")
    yes = {}
    for value in ("parent", "foster"):
        page = client.get(url, query_string={"filter": f"role:{value}"}).text
        assert "Wie bent u?: Optie" in page
        yes[value] = re.search(r"<td>(\d+)</td>", _row(page, "Ja"))
    shown = [int(match.group(1)) for match in yes.values() if match]
    assert len(shown) < 2, "23 minus both groups would be the rest's 1"


def test_comparison_shows_each_wave_as_its_own_page_does(app: Flask) -> None:
    from participatie.surveys import queries
    from participatie.surveys.models import SurveyWave

    first = run_wave(app, 12 * [answers(choice="x")] + 3 * [answers(choice="y", grade="9")])
    second = run_wave(
        app,
        15 * [answers(choice="x", grade="8")] + 11 * [answers(choice="w", listened="2")],
        template_id=template_of(app, first),
    )
    with app.test_request_context():
        wave = db.session.get_one(SurveyWave, second)
        for table in queries.comparison(wave, "nl"):
            for row in table.rows:
                page = queries.wave_report(row.wave, None, "nl")
                assert row.size == page.whole.size
                assert row.result == page.whole.question(row.result.question.id)  # type: ignore[union-attr]
