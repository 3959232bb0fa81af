"""Survey figures with small-number protection: the rules on their own, then on real waves."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from participatie.db import db
from participatie.surveys import operations, queries
from participatie.surveys.models import PendingSubmission, SurveyTemplate, SurveyWave
from participatie.surveys.results import (
    Figures,
    OptionSpec,
    QuestionSpec,
    bar_width,
    filter_values,
    group_result,
    in_steps,
    known_parts,
    mean_gives_away,
    protect,
    protect_table,
    publish,
    question_result,
    round_percent,
    shown_count,
    total_range,
)

K = 10


def _options(*values: str) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": {"nl": f"Optie {value}", "en": f"Option {value}"}}
        for value in values
    ]


SPEC: dict[str, Any] = {
    "slug": "resultaten-test",
    "title": {"nl": "Testenquête resultaten", "en": "Results test survey"},
    "sections": [
        {
            "title": {"nl": "Over u", "en": "About you"},
            "questions": [
                {
                    "code": "role",
                    "kind": "single",
                    "background": True,
                    "text": {"nl": "Wie bent u?", "en": "Who are you?"},
                    "options": _options("parent", "young", "other"),
                },
                {
                    "code": "orgs",
                    "kind": "multiple",
                    "background": True,
                    "required": False,
                    "text": {"nl": "Met wie had u contact?", "en": "Whom were you in touch with?"},
                    "options": _options("a", "b", "c"),
                },
            ],
        },
        {
            "title": {"nl": "Uw ervaringen", "en": "Your experiences"},
            "questions": [
                {
                    "code": "choice",
                    "kind": "single",
                    "text": {"nl": "Welke keuze?", "en": "Which choice?"},
                    "options": _options("x", "y", "z", "w"),
                },
                {
                    "code": "listened",
                    "kind": "agreement",
                    "text": {"nl": "Er werd naar mij geluisterd.", "en": "I was listened to."},
                },
                {
                    "code": "grade",
                    "kind": "grade",
                    "text": {"nl": "Welk cijfer geeft u?", "en": "What grade do you give?"},
                },
                {
                    "code": "helped",
                    "kind": "yesno",
                    "required": False,
                    "text": {"nl": "Werd u geholpen?", "en": "Were you helped?"},
                },
                {
                    "code": "story",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat wilt u nog kwijt?", "en": "Anything else?"},
                },
            ],
        },
    ],
}


def answers(
    *,
    role: str = "parent",
    orgs: tuple[str, ...] = ("a",),
    choice: str = "x",
    listened: str = "4",
    grade: str = "7",
    helped: str | None = "yes",
    story: str | None = None,
) -> dict[str, Any]:
    given: dict[str, Any] = {
        "role": role,
        "choice": choice,
        "listened": listened,
        "grade": grade,
    }
    if orgs:
        given["orgs"] = list(orgs)
    if helped:
        given["helped"] = helped
    if story:
        given["story"] = story
    return given


def run_wave(
    app: Flask,
    responses: list[dict[str, Any]],
    *,
    template_id: int | None = None,
    spec: dict[str, Any] | None = None,
    close: bool = True,
) -> int:
    """A wave through the real path: template, wave, open, submit each response, close."""
    with app.app_context():
        if template_id is None:
            template = operations.create_template(spec or SPEC)
        else:
            template = db.session.get_one(SurveyTemplate, template_id)
        today = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=today,
            closes_on=today + timedelta(days=14),
            invite_pool=False,
            open_link=True,
        )
        operations.open_wave(None, wave)
        db.session.commit()
        for given in responses:
            operations.submit(wave.id, given, "nl")
            db.session.commit()
        if close:
            operations.close_wave(None, wave)
            db.session.commit()
        return wave.id


def template_of(app: Flask, wave_id: int) -> int:
    with app.app_context():
        return db.session.get_one(SurveyWave, wave_id).template_id


@pytest.fixture
def report(app: Flask) -> Iterator[Any]:
    """wave_report(wave_id, filter) inside an app context, for reading results."""
    with app.test_request_context():

        def make(wave_id: int, raw_filter: str | None = None) -> queries.WaveReport:
            wave = db.session.get_one(SurveyWave, wave_id)
            return queries.wave_report(wave, raw_filter, "nl")

        yield make


def figures_of(result: Any) -> dict[str, int | None]:
    return {cell.value: cell.count for cell in result.cells}


def question(report: queries.WaveReport, code: str) -> Any:
    for _title, results in report.sections:
        for result in results:
            if result.question.code == code:
                return result
    raise AssertionError(code)


# --- the rules on plain numbers ---------------------------------------------------------------


def test_cells_below_k_are_hidden_and_zero_too() -> None:
    assert protect([25, 12, 0, 14], K) == {2}


def test_complementary_hides_the_smallest_shown_cell_when_hidden_sum_is_small() -> None:
    # 9 is hidden; 9 could be derived from n, so the smallest shown cell (12) goes too.
    assert protect([12, 9, 0, 15], K) == {0, 1, 2}


def test_complementary_with_ties_hides_the_later_option() -> None:
    assert protect([11, 11, 5], K) == {1, 2}


def test_no_complementary_step_when_hidden_cells_hold_at_least_k() -> None:
    assert protect([20, 6, 5], K) == {1, 2}


def test_hidden_zeros_alone_need_no_complementary_step() -> None:
    assert protect([20, 0, 15], K) == {1}
    assert known_parts([20, 0, 15], {1}) == (True, True, True)
    assert known_parts([20, 6, 5], {1, 2}) == (True, False, False)


def test_rest_of_a_filtered_group_is_protected_too() -> None:
    # Whole wave 30/15 (both shown); the group 15/14 would leave 15/1 for the rest. Hiding the
    # 14 alone is not enough: the group's size gives it back, and with it the 1.
    assert protect_table([[15, 14]], [30, 15], [True, True], K) == [{0, 1}]


def test_rest_is_not_derivable_when_its_parts_are_large() -> None:
    assert protect_table([[15, 14]], [30, 26], [True, True], K) == [set()]


def test_percentages_round_half_up_and_bars_to_fives() -> None:
    assert round_percent(1, 8) == 13
    assert round_percent(2, 3) == 67
    assert bar_width(67) == 65
    assert bar_width(68) == 70
    assert bar_width(None) == 0
    assert bar_width(100) == 100


def _spec(kind: str, *values: str, question_id: int = 1) -> QuestionSpec:
    return QuestionSpec(
        question_id, f"q{question_id}", kind, "Vraag", tuple(OptionSpec(v, v) for v in values)
    )


def test_single_question_shows_n_and_percentages_over_n() -> None:
    spec = _spec("single", "x", "y", "z")
    result = question_result(spec, Figures(40, {1: {"x": 25, "y": 15}}), K)
    assert figures_of(result) == {"x": 25, "y": 15, "z": None}
    assert result.answered == 40
    assert [cell.percent for cell in result.cells] == [63, 38, None]


def test_the_brief_example_twelve_nine_zero() -> None:
    spec = _spec("single", "x", "y", "z")
    result = question_result(spec, Figures(21, {1: {"x": 12, "y": 9}}), K)
    assert figures_of(result) == {"x": None, "y": None, "z": None}
    assert result.answered == 21  # everyone answered; no option can be derived from it


def test_few_people_skipping_a_question_hide_n() -> None:
    spec = _spec("single", "x", "y")
    result = question_result(spec, Figures(43, {1: {"x": 20, "y": 20}}), K)
    # 3 did not answer: n would give that away, so n, its percentages and one cell go.
    assert result.answered is None
    assert not result.has_percentages
    assert sum(cell.count is None for cell in result.cells) == 1


def test_question_answered_by_fewer_than_k_shows_nothing() -> None:
    spec = _spec("single", "x", "y")
    result = question_result(spec, Figures(30, {1: {"x": 6, "y": 2}}), K)
    assert not result.shows_anything


def test_multiple_choice_options_are_protected_one_by_one() -> None:
    spec = _spec("multiple", "a", "b", "c", "d")
    result = question_result(spec, Figures(48, {1: {"a": 45, "b": 12, "c": 9, "d": 48}}), K)
    # a: 3 did not tick it; c: below k; d: everyone ticked it (no small group).
    assert figures_of(result) == {"a": None, "b": 12, "c": None, "d": 48}
    assert [cell.percent for cell in result.cells] == [None, 25, None, 100]
    assert result.answered is None


def test_grade_mean_hidden_below_k() -> None:
    spec = _spec("grade", *map(str, range(1, 11)))
    result = question_result(spec, Figures(30, {1: {"7": 6, "8": 3}}), K)
    assert result.mean is None
    assert not result.shows_anything


def test_grade_mean_shown_and_distribution_hidden_when_part_of_it_is_hidden() -> None:
    spec = _spec("grade", *map(str, range(1, 11)))
    result = question_result(spec, Figures(25, {1: {"7": 12, "8": 10, "2": 3}}), K)
    assert result.mean == Decimal("6.8")  # (84 + 80 + 6) / 25
    assert result.distribution_hidden
    assert all(cell.count is None for cell in result.cells)
    assert result.answered == 25


def test_grade_distribution_shown_with_mean_when_nothing_is_hidden() -> None:
    spec = _spec("grade", *map(str, range(1, 11)))
    result = question_result(spec, Figures(25, {1: {"7": 15, "8": 10}}), K)
    assert result.mean == Decimal("7.4")
    assert not result.distribution_hidden
    assert result.cell("7").count == 15  # type: ignore[union-attr]


def test_grade_mean_near_the_end_of_the_scale_is_hidden() -> None:
    spec = _spec("grade", *map(str, range(1, 11)))
    # 9.9 over twelve people can only be eleven 10s and one 9.
    result = question_result(spec, Figures(12, {1: {"10": 11, "9": 1}}), K)
    assert result.mean is None
    assert all(cell.count is None for cell in result.cells)
    assert result.answered == 12


def test_mean_gives_away_small_counts_exact_or_bounded() -> None:
    grades = range(1, 11)
    assert mean_gives_away(10, 99, 99, grades, K)  # nine 10s and one 9
    # One 8, or two 9s: neither is certain, but one or two people did not give a 10.
    assert mean_gives_away(10, 98, 98, grades, K)
    assert mean_gives_away(5, 46, 46, grades, 5)  # 9.2 over five: one to four 10s
    assert mean_gives_away(20, 196, 196, grades, K)  # 9.8 over twenty: 1 to 4 not a 10
    assert not mean_gives_away(20, 190, 190, grades, K)  # 9.5 over twenty: 1 to 10 not a 10
    assert not mean_gives_away(30, 200, 215, grades, K)
    assert total_range(Decimal("9.9"), 10) == (99, 99)
    assert total_range(Decimal("7.0"), 30) == (209, 211)


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _published(result: Any) -> tuple[Any, ...]:
    return (tuple(cell.count for cell in result.cells), result.answered, result.mean)


@pytest.mark.parametrize("kind,values", [("single", "abc"), ("yesno", ("yes", "no"))])
def test_no_small_number_can_be_derived_from_a_published_table(kind: str, values: Any) -> None:
    """Every table of up to 13 people, k = 5: from what is shown (cells, n, group size), no hidden
    part — answers or 'did not answer' — is fixed at 1 … k-1 by arithmetic."""
    k = 5
    spec = QuestionSpec(1, "q", kind, "q", tuple(OptionSpec(v, v) for v in values))
    for size in range(k, 14):
        vectors = list(_compositions(size, len(values) + 1))
        published: dict[tuple[Any, ...], list[tuple[int, ...]]] = {}
        for vector in vectors:
            figures = Figures(size, {1: dict(zip(values, vector[:-1], strict=True))})
            published.setdefault(_published(question_result(spec, figures, k)), [])
        for cells, answered, _mean in published:
            consistent = [
                v
                for v in vectors
                if all(c is None or c == v[i] for i, c in enumerate(cells))
                and (answered is None or sum(v[:-1]) == answered)
            ]
            for part in range(len(values) + 1):
                shown = answered is not None if part == len(values) else cells[part] is not None
                possible = {v[part] for v in consistent}
                assert shown or not (len(possible) == 1 and 0 < min(possible) < k), (cells, part)


def test_no_small_number_can_be_derived_from_a_filtered_table() -> None:
    """The whole wave and a filtered group side by side, k = 5, every table of a few people:
    neither a hidden part of the group nor any part of the rest of the wave (who did not
    answer the filter question) is fixed at 1 … k-1 by arithmetic."""
    k = 5
    values = ("a", "b")
    spec = QuestionSpec(2, "q", "single", "q", tuple(OptionSpec(v, v) for v in values))
    background = QuestionSpec(1, "f", "single", "f", (OptionSpec("g", "g"),))

    def people(parts: tuple[int, ...], member: bool) -> list[dict[int, tuple[str, ...]]]:
        answers: list[tuple[str, ...]] = [("a",), ("b",), ()]
        base = {1: ("g",)} if member else {}
        return [
            {**base, **({2: given} if given else {})}
            for given, count in zip(answers, parts, strict=True)
            for _ in range(count)
        ]

    for group_size, rest_size in [(5, 0), (5, 5), (6, 7), (8, 5), (7, 9)]:
        groups = list(_compositions(group_size, 3))
        rests = list(_compositions(rest_size, 3))
        seen: set[tuple[Any, ...]] = set()
        for group in groups:
            for rest in rests:
                publication = publish(
                    [background, spec], [background], people(group, True) + people(rest, False), k
                )
                shown = publication.group(1, "g")
                assert shown is not None
                seen.add(
                    (
                        _published(publication.whole.questions[1]),
                        _published(shown.questions[1]),
                    )
                )
        for (w_cells, w_n, _), (g_cells, g_n, _) in seen:
            consistent = [
                (g, r)
                for g in groups
                for r in rests
                if all(c is None or c == g[i] + r[i] for i, c in enumerate(w_cells))
                and all(c is None or c == g[i] for i, c in enumerate(g_cells))
                and (w_n is None or sum(g[:-1]) + sum(r[:-1]) == w_n)
                and (g_n is None or sum(g[:-1]) == g_n)
            ]
            for part in range(3):
                g_shown = g_n is not None if part == 2 else g_cells[part] is not None
                for side in (0, 1):
                    if side == 0 and g_shown:
                        continue
                    possible = {pair[side][part] for pair in consistent}
                    assert not (len(possible) == 1 and 0 < min(possible) < k), (
                        group_size,
                        rest_size,
                        part,
                        side,
                    )


def test_agreement_share_only_from_known_cells() -> None:
    spec = _spec("agreement", "1", "2", "3", "4", "5", "na")
    shown = question_result(spec, Figures(50, {1: {"2": 15, "4": 12, "5": 13, "na": 10}}), K)
    assert shown.agree_percent == 63  # 25 of the 40 for whom it applied
    hidden_na = question_result(spec, Figures(50, {1: {"2": 18, "4": 14, "5": 13, "na": 5}}), K)
    assert hidden_na.agree_percent is None  # 5 "not applicable" would be given away


def test_group_below_k_shows_nothing() -> None:
    spec = _spec("single", "x", "y")
    result = group_result([spec], Figures(9, {1: {"x": 9}}), K)
    assert not result.enough
    assert result.size is None
    assert not result.questions[0].shows_anything


def test_filtered_group_whose_rest_is_small_is_refused() -> None:
    role = _spec("single", "parent", "young", question_id=1)
    whole = group_result([role], Figures(28, {1: {"parent": 25, "young": 3}}), K)
    assert filter_values(role, whole, K) == []


# --- on real waves --------------------------------------------------------------------------------


def test_counts_come_from_released_responses(app: Flask, report: Any) -> None:
    wave_id = run_wave(
        app,
        12 * [answers(choice="x")] + 9 * [answers(choice="y")] + 14 * [answers(choice="w")],
    )
    result = question(report(wave_id), "choice")
    # 9 and 0 are hidden; 9 could be derived from n, so the smallest shown cell (12) goes too.
    assert figures_of(result) == {"x": None, "y": None, "z": None, "w": 14}
    assert result.answered == 35
    assert result.cell("w").percent == 40


def test_open_wave_shows_released_responses_only(app: Flask) -> None:
    wave_id = run_wave(app, 13 * [answers()], close=False)
    with app.app_context():
        assert queries.figures(wave_id).size == 0  # nothing released yet
        operations.release_due()  # the scheduler's job: one batch of all 13
        db.session.commit()
        assert queries.figures(wave_id).size == 13
        for _ in range(3):
            operations.submit(wave_id, answers(), "nl")
        db.session.commit()
        operations.release_due()
        db.session.commit()
        assert queries.figures(wave_id).size == 13
        held = select(func.count()).select_from(PendingSubmission)
        assert db.session.scalar(held) == 3  # fewer than k wait for the next batch


def test_open_answer_themes_only_from_k_responses(app: Flask) -> None:
    roles = "Ik wist niet wie verantwoordelijk was en wie ik moest bellen."
    late = "De hulp kwam veel te laat, we stonden maanden op de wachtlijst."
    wave_id = run_wave(app, 10 * [answers(story=roles)] + 9 * [answers(story=late)])
    with app.app_context():
        assert queries.open_answer_themes(wave_id) == [("roles", 10)]


def test_filter_with_small_rest_is_refused(app: Flask, report: Any) -> None:
    wave_id = run_wave(app, 25 * [answers(role="parent")] + 3 * [answers(role="young")])
    refused = report(wave_id, "role:parent")
    assert refused.filter_state == queries.FilterState.REFUSED
    assert not refused.enough
    assert all(not result.shows_anything for _, rs in refused.sections for result in rs)
    assert report(wave_id, "role:young").filter_state == queries.FilterState.REFUSED


def test_filter_with_large_group_and_rest_is_shown(app: Flask, report: Any) -> None:
    wave_id = run_wave(
        app,
        15 * [answers(role="parent", choice="x")]
        + 12 * [answers(role="young", choice="x")]
        + 10 * [answers(role="young", choice="w")],
    )
    applied = report(wave_id, "role:young")
    assert applied.filter_state == queries.FilterState.APPLIED
    assert applied.shown.size == 22
    assert figures_of(question(applied, "choice")) == {"x": 12, "y": None, "z": None, "w": 10}
    # The rest (parents) has 15 on x and nothing else: no small number left to derive.
    parents = report(wave_id, "role:parent")
    assert figures_of(question(parents, "choice"))["x"] == 15


def test_filter_hides_cells_whose_rest_would_be_small(app: Flask, report: Any) -> None:
    wave_id = run_wave(
        app,
        14 * [answers(role="parent", choice="x")]
        + 1 * [answers(role="parent", choice="w")]
        + 15 * [answers(role="young", choice="x")]
        + 14 * [answers(role="young", choice="w")],
    )
    whole = question(report(wave_id), "choice")
    assert figures_of(whole) == {"x": 29, "y": None, "z": None, "w": 15}
    young = question(report(wave_id, "role:young"), "choice")
    # 15 - 14 = 1 parent chose w: neither w nor (through n) x may be shown for the young.
    assert figures_of(young) == {"x": None, "y": None, "z": None, "w": None}


def test_odd_filters_are_invalid_not_errors(app: Flask, report: Any) -> None:
    wave_id = run_wave(app, 12 * [answers()])
    for raw in ("garbage", "a:b:c", "role:", ":parent", "choice:x", "role:nobody", "story:x"):
        odd = report(wave_id, raw)
        assert odd.filter_state == queries.FilterState.INVALID, raw
        assert odd.shown.size == 12


def test_comparison_across_two_waves_of_one_template(app: Flask) -> None:
    first = run_wave(app, 12 * [answers(choice="x", grade="6")])
    second = run_wave(
        app,
        12 * [answers(choice="x", grade="8")] + 10 * [answers(choice="w", grade="9")],
        template_id=template_of(app, first),
    )
    with app.test_request_context():
        wave = db.session.get_one(SurveyWave, second)
        tables = {table.question.code: table for table in queries.comparison(wave, "nl")}
        rows = tables["choice"].rows
        assert [row.wave.number for row in rows] == [1, 2]
        assert [row.size for row in rows] == [12, 22]
        assert [row.result.cell("x").percent for row in rows] == [100, 55]  # type: ignore[union-attr]
        assert [row.result.mean for row in tables["grade"].rows] == [  # type: ignore[union-attr]
            Decimal("6.0"),
            Decimal("8.5"),
        ]
        assert "story" not in tables  # open questions are never compared


class TestRaisedK:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"K_THRESHOLD": 15}

    def test_k_can_be_raised(self, app: Flask, report: Any) -> None:
        wave_id = run_wave(app, 14 * [answers()])
        assert not report(wave_id).enough


class TestFloorOfK:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"K_THRESHOLD": 2}

    def test_k_never_below_five(self, app: Flask, report: Any) -> None:
        assert app.config["K_THRESHOLD"] == 5
        wave_id = run_wave(app, 4 * [answers()])
        assert not report(wave_id).enough
        wave_id = run_wave(app, 5 * [answers()], spec={**SPEC, "slug": "tweede"})
        assert report(wave_id).shown.size == 5


ROLES_STORY = "Ik wist niet wie verantwoordelijk was en wie ik moest bellen."
LATE_STORY = "De hulp kwam veel te laat, we stonden maanden op de wachtlijst."


def test_theme_counts_hide_a_small_rest_too(app: Flask, report: Any) -> None:
    # 11 of 12 mention the theme: the one who did not is a group of one.
    wave_id = run_wave(app, 11 * [answers(story=ROLES_STORY)] + [answers()])
    assert report(wave_id).themes == []
    more = run_wave(
        app, 11 * [answers(story=ROLES_STORY)] + 10 * [answers()], spec={**SPEC, "slug": "meer"}
    )
    assert report(more).themes == [("roles", "Rollen en verantwoordelijkheden", 11)]


# --- the summary mail at closing --------------------------------------------------------------------


def _with_themes() -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    spec["slug"] = "met-knelpunten"
    themes = {"listened": "roles", "helped": "information", "grade": "roles", "choice": "roles"}
    for section in spec["sections"]:
        for item in section["questions"]:
            if item["code"] in themes:
                item["theme"] = themes[item["code"]]
    return spec


def test_closing_mail_gives_headline_figures_per_bottleneck_and_theme_names(
    app: Flask, create_user: Any, smtp: Any
) -> None:
    create_user(role="ambassadeur", email="amb@example.org")
    wave_id = run_wave(
        app,
        12 * [answers(listened="4", helped="yes", choice="x", story=ROLES_STORY)]
        + 9 * [answers(listened="2", helped="no", choice="x", story=LATE_STORY)]
        + 3 * [answers(listened="2", helped="no", choice="y")],
        spec=_with_themes(),
    )
    (message,) = smtp.wait_for(1)
    body = smtp.text_of(message).replace("\r\n", "\n")
    assert message["Subject"] == "Ronde 1 gesloten: Testenquête resultaten"
    assert "Er zijn 24 antwoorden binnengekomen." in body
    # Bottlenecks by name, each with the key figure of its questions, as the results page.
    assert "Rollen en verantwoordelijkheden\n" in body
    assert "- Er werd naar mij geluisterd. – 50% (helemaal) eens" in body
    assert "- Welk cijfer geeft u? – gemiddeld cijfer 7,0" in body
    # x 21, y 3: the 3 is hidden, and so is the 21 that would give it back.
    assert "- Welke keuze? – te weinig antwoorden om te tonen" in body
    assert "Informatie en uitleg\n- Werd u geholpen? – 50% ja" in body
    # Themes by name; the one mentioned by 9 (fewer than k) is left out.
    assert "- Rollen en verantwoordelijkheden: in 12 antwoorden" in body
    assert "Tijdige en passende hulp" not in body
    assert "roles" not in body and "timely_care" not in body
    assert f"/enquetes/resultaten/rondes/{wave_id}" in body


def test_closing_mail_below_k_has_no_figures(app: Flask, create_user: Any, smtp: Any) -> None:
    create_user(role="ambassadeur", email="amb@example.org")
    run_wave(app, 7 * [answers(story=ROLES_STORY)], spec=_with_themes())
    body = smtp.text_of(smtp.wait_for(1)[0]).replace("\r\n", "\n")
    assert "minder dan 10 antwoorden" in body
    assert not re.search(r"\d+%|\b7\b|Rollen", body.split("gesloten", 1)[1])


# --- counts on the staff wave page ----------------------------------------------------------------


@pytest.mark.parametrize("k", [5, 10])
def test_a_count_below_k_looks_like_none(k: int) -> None:
    assert [shown_count(count, k) for count in (0, 1, k - 1, k, k + 3)] == [
        None,
        None,
        None,
        k,
        k + 3,
    ]
    assert [in_steps(count, k) for count in (0, k - 1, k, 2 * k - 1, 2 * k + 1)] == [
        None,
        None,
        k,
        k,
        2 * k,
    ]


@pytest.mark.parametrize("k", [5, 10])
def test_invitations_used_in_steps_never_pin_down_the_open_link_respondents(k: int) -> None:
    """The wave page shows the responses (from k on) and the invitations used in steps of k. The
    respondents through the open link are the responses minus the invitations used: whatever
    the numbers, a reader must allow that group to be empty or at least k."""
    for responses in range(k, 5 * k):
        for used in range(responses + 1):
            step = in_steps(used, k)
            possible_used = range(step, step + k) if step is not None else range(k)
            rests = [responses - guess for guess in possible_used if guess <= responses]
            assert any(rest == 0 or rest >= k for rest in rests), (responses, used)
