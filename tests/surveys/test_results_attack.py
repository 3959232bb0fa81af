"""The attacker's side of small-number protection (DESIGN invariant 2).

A reader of the results pages and exports sees, for the whole wave and for every filter the page
offers, the group's size and per question the shown counts, n, percentages, means and shares of
agreement. These tests take *all* of that for generated waves and try to get a hidden number
back, the way a curious reader with a spreadsheet — or a linear program — would:

* by subtraction: every published count is a sum of unknown "atoms" (how many people with this
  role, these organisations and this answer); a hidden number is given away when it is a linear
  combination of published ones (checked exactly, modulo a large prime, by Gaussian
  elimination);
* by bounds: minimising and maximising a hidden number over everything consistent with the
  published figures (means and shares as inequalities) with a small simplex method.

No group or cell with 1 … k-1 people may be determined exactly; a cell of a published
cross-table (a filtered group or the rest of the wave against the answers) may not even be
narrowed to 1 … k-1: the reader must allow it to be empty, or k or more.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from participatie.surveys.results import (
    GroupResult,
    OptionSpec,
    Publication,
    QuestionSpec,
    Response,
    publish,
    round_percent,
    total_range,
)

K = 5
PRIME = (1 << 61) - 1
EPS = 1e-7


# --- a small linear-programming toolbox -----------------------------------------------------------

Coefficients = Mapping[int, float]


@dataclass
class System:
    """Linear equalities and `>=` inequalities over non-negative variables 0 … size-1."""

    size: int
    equal: list[tuple[Coefficients, float]] = field(default_factory=list)
    at_least: list[tuple[Coefficients, float]] = field(default_factory=list)


def _pivot(table: list[list[float]], costs: list[float], basis: list[int], r: int, j: int) -> None:
    row = table[r]
    factor = row[j]
    row = [value / factor for value in row]
    table[r] = row
    for i, other in enumerate(table):
        if i != r and abs(other[j]) > 0:
            a = other[j]
            table[i] = [x - a * y for x, y in zip(other, row, strict=True)]
    if abs(costs[j]) > 0:
        a = costs[j]
        costs[:] = [x - a * y for x, y in zip(costs, row, strict=True)]
    basis[r] = j


def _simplex(table: list[list[float]], costs: list[float], basis: list[int], columns: int) -> None:
    """Minimise: `costs` holds the reduced costs (last entry: minus the objective value).
    Dantzig's rule, and Bland's rule once it has taken long (degenerate tables cycle)."""
    for step in itertools.count():
        if step < 500:
            entering = min(range(columns), key=lambda j: costs[j])
            if costs[entering] >= -EPS:
                return
        else:
            entering = next((j for j in range(columns) if costs[j] < -EPS), -1)
            if entering < 0:
                return
        best: tuple[float, int, int] | None = None
        for r, row in enumerate(table):
            if row[entering] > EPS:
                candidate = (row[-1] / row[entering], basis[r], r)
                if best is None or candidate < best:
                    best = candidate
        if best is None:
            raise AssertionError("unbounded: every count is bounded by the wave's size")
        _pivot(table, costs, basis, best[2], entering)


class Polytope:
    """Everything consistent with a System: bounds of sums of variables over it."""

    def __init__(self, system: System) -> None:
        width = system.size + len(system.at_least)
        rows: list[tuple[list[float], float]] = []
        for coefficients, value in system.equal:
            row = [0.0] * width
            for j, a in coefficients.items():
                row[j] += a
            rows.append((row, value))
        for number, (coefficients, value) in enumerate(system.at_least):
            row = [0.0] * width
            for j, a in coefficients.items():
                row[j] += a
            row[system.size + number] = -1.0  # surplus
            rows.append((row, value))
        height = len(rows)
        table = []
        for r, (row, value) in enumerate(rows):
            sign = -1.0 if value < 0 else 1.0
            artificial = [0.0] * height
            artificial[r] = 1.0
            table.append([sign * a for a in row] + artificial + [sign * value])
        basis = [width + r for r in range(height)]
        costs = [-sum(row[j] for row in table) for j in range(width)] + [0.0] * height
        costs.append(-sum(row[-1] for row in table))
        _simplex(table, costs, basis, width + height)
        assert -costs[-1] < 1e-6, "the true figures must be consistent"
        # Drive the artificial variables out of the basis; rows where that fails are redundant.
        for r in reversed(range(len(table))):
            if basis[r] >= width:
                j = next((j for j in range(width) if abs(table[r][j]) > EPS), None)
                if j is None:
                    del table[r], basis[r]
                else:
                    _pivot(table, costs, basis, r, j)
        self.width = width
        self.table = [[*row[:width], row[-1]] for row in table]
        self.basis = basis

    def minimum(self, objective: Coefficients) -> float:
        table = [list(row) for row in self.table]
        basis = list(self.basis)
        c = [objective.get(j, 0.0) for j in range(self.width)]
        costs = [
            c[j] - sum(c[basis[r]] * table[r][j] for r in range(len(table)))
            for j in range(self.width)
        ]
        costs.append(-sum(c[basis[r]] * table[r][-1] for r in range(len(table))))
        _simplex(table, costs, basis, self.width)
        return -costs[-1]

    def bounds(self, objective: Coefficients) -> tuple[int, int]:
        """The whole numbers the sum can take at the least and at the most (LP relaxation)."""
        low = self.minimum(objective)
        high = -self.minimum({j: -a for j, a in objective.items()})
        return math.ceil(low - 1e-6), math.floor(high + 1e-6)


class Span:
    """The linear combinations of the published equalities, modulo a large prime: a sum a
    reader can compute exactly by adding and subtracting published figures."""

    def __init__(self, system: System) -> None:
        self.pivots: dict[int, list[int]] = {}
        for coefficients, _value in system.equal:
            self._add([int(coefficients.get(j, 0)) % PRIME for j in range(system.size)])

    def _reduce(self, row: list[int]) -> list[int]:
        row = list(row)
        for column, pivot_row in self.pivots.items():
            if row[column]:
                factor = row[column]
                row = [(a - factor * b) % PRIME for a, b in zip(row, pivot_row, strict=True)]
        return row

    def _add(self, row: list[int]) -> None:
        row = self._reduce(row)
        column = next((j for j, a in enumerate(row) if a), None)
        if column is None:
            return
        inverse = pow(row[column], PRIME - 2, PRIME)
        row = [a * inverse % PRIME for a in row]
        for other_column, other in self.pivots.items():
            if other[column]:
                factor = other[column]
                self.pivots[other_column] = [
                    (a - factor * b) % PRIME for a, b in zip(other, row, strict=True)
                ]
        self.pivots[column] = row

    def contains(self, objective: Coefficients, size: int) -> bool:
        return not any(self._reduce([int(objective.get(j, 0)) % PRIME for j in range(size)]))


# --- what a reader sees -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One question of one group as the page and the exports show it."""

    counts: Mapping[str, int | None]
    percents: Mapping[str, int | None]
    answered: int | None
    mean: Decimal | None
    agree: int | None


@dataclass(frozen=True)
class Page:
    """A results page (or its export): the whole wave (filter None) or one filtered group."""

    size: int | None
    questions: Mapping[str, Shown]


def page_of(result: GroupResult) -> Page:
    return Page(
        result.size,
        {
            q.question.code: Shown(
                {cell.value: cell.count for cell in q.cells},
                {cell.value: cell.percent for cell in q.cells},
                q.answered,
                q.mean,
                q.agree_percent,
            )
            for q in result.questions
        },
    )


def pages_of(publication: Publication, specs: Sequence[QuestionSpec]) -> dict[Any, Page]:
    """Every page a reader can open: the whole wave and each filter the form offers."""
    by_id = {spec.id: spec for spec in specs}
    pages: dict[Any, Page] = {None: page_of(publication.whole)}
    for question_id, values in publication.filters.items():
        for value in values:
            group = publication.group(question_id, value)
            assert group is not None
            pages[by_id[question_id].code, value] = page_of(group)
    return pages


# --- the generated waves ------------------------------------------------------------------------------


def _spec(question_id: int, code: str, kind: str, values: Sequence[str]) -> QuestionSpec:
    return QuestionSpec(question_id, code, kind, code, tuple(OptionSpec(v, v) for v in values))


ROLE = _spec(1, "role", "single", ("parent", "foster", "other"))
ORGS = _spec(2, "orgs", "multiple", ("a", "b"))
HELPED = _spec(3, "helped", "yesno", ("yes", "no"))
CHOICE = _spec(4, "choice", "single", ("x", "y", "z"))
LISTENED = _spec(5, "listened", "agreement", ("1", "2", "3", "4", "5", "na"))
GRADE = _spec(6, "grade", "grade", tuple(str(g) for g in range(1, 11)))
TICKS = _spec(7, "ticks", "multiple", ("p", "q"))
SPECS = (ROLE, ORGS, HELPED, CHOICE, LISTENED, GRADE, TICKS)
FILTERS = (ROLE, ORGS)


def _pick(rng: random.Random, weights: Sequence[float], values: Sequence[str]) -> str:
    return rng.choices(list(values), weights=list(weights))[0]


def _skewed(rng: random.Random, count: int) -> list[float]:
    """Weights with now and then an answer that almost nobody gives: small cells."""
    return [rng.choice([0.02, 0.08, 0.2, 0.5, 1.0]) for _ in range(count)]


def generate_wave(seed: int) -> list[Response]:
    rng = random.Random(seed)
    size = rng.randint(18, 48)
    role_weights = _skewed(rng, 3)
    role_missing = rng.choice([0.0, 0.0, 0.05, 0.15])
    org_rates = [rng.choice([0.1, 0.3, 0.6, 0.9]) for _ in ORGS.options]
    per_role = {
        role: {
            "helped": [*_skewed(rng, 2), rng.choice([0.0, 0.05, 0.3])],
            "choice": _skewed(rng, 3),
            "listened": _skewed(rng, 6),
            "grade": rng.choice([2, 5, 7, 9]),
            "ticks": [rng.choice([0.05, 0.4, 0.95]) for _ in TICKS.options],
        }
        for role in ("parent", "foster", "other", None)
    }
    responses: list[Response] = []
    for _ in range(size):
        answers: dict[int, tuple[str, ...]] = {}
        role = None if rng.random() < role_missing else _pick(rng, role_weights, ROLE_VALUES)
        if role is not None:
            answers[ROLE.id] = (role,)
        orgs = tuple(
            v for v, rate in zip(ORG_VALUES, org_rates, strict=True) if rng.random() < rate
        )
        if orgs:
            answers[ORGS.id] = orgs
        style = per_role[role]
        helped = _pick(rng, style["helped"], ("yes", "no", ""))
        if helped:
            answers[HELPED.id] = (helped,)
        answers[CHOICE.id] = (_pick(rng, style["choice"], ("x", "y", "z")),)
        answers[LISTENED.id] = (_pick(rng, style["listened"], LISTENED_VALUES),)
        grade = min(10, max(1, round(rng.gauss(style["grade"], 1.2))))
        answers[GRADE.id] = (str(grade),)
        ticks = tuple(
            v for v, rate in zip(TICK_VALUES, style["ticks"], strict=True) if rng.random() < rate
        )
        if ticks:
            answers[TICKS.id] = ticks
        responses.append(answers)
    return responses


ROLE_VALUES = tuple(option.value for option in ROLE.options)
ORG_VALUES = tuple(option.value for option in ORGS.options)
TICK_VALUES = tuple(option.value for option in TICKS.options)
LISTENED_VALUES = tuple(option.value for option in LISTENED.options)


# --- the attack ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the filters can tell about a person: role (None: not answered) and organisations."""

    role: str | None
    orgs: frozenset[str]


PROFILES = [
    Profile(role, frozenset(orgs))
    for role in (*ROLE_VALUES, None)
    for size in range(len(ORG_VALUES) + 1)
    for orgs in itertools.combinations(ORG_VALUES, size)
]


def profile_of(response: Response) -> Profile:
    role = response.get(ROLE.id, ())
    return Profile(role[0] if role else None, frozenset(response.get(ORGS.id, ())))


def member(page: Any, profile: Profile) -> bool:
    """Whether people with this profile are in the group of a page (None: the whole wave)."""
    if page is None:
        return True
    code, value = page
    return profile.role == value if code == "role" else value in profile.orgs


@dataclass(frozen=True)
class Target:
    """A number the reader should not get: a sum of atoms, its true value, and whether it is a
    cell of a published cross-table (then not even bounds to 1 … k-1 are allowed)."""

    name: str
    atoms: frozenset[int]
    value: int
    table_cell: bool


class Attack:
    """The atoms of one partition (a single-answer question, or one option of a multiple-choice
    question): per profile and column, how many people. Everything published about the
    partition and about the profiles becomes an equation or inequality."""

    def __init__(
        self,
        pages: Mapping[Any, Page],
        question: QuestionSpec,
        option: str | None,
        responses: Sequence[Response],
    ) -> None:
        self.question = question
        self.option = option
        if question.kind == "multiple":
            self.columns: list[str] = ["ticked", "not"]
        else:
            self.columns = [o.value for o in question.options] + ["none"]
        self.index = {
            (p, c): i
            for i, (p, c) in enumerate(itertools.product(range(len(PROFILES)), self.columns))
        }
        self.truth = [0] * len(self.index)
        for response in responses:
            self.truth[self.index[PROFILES.index(profile_of(response)), self.column(response)]] += 1
        self.system = System(len(self.index))
        if question == ROLE:  # the answer to the filter question is the profile's
            impossible = {
                i for (p, c), i in self.index.items() if c != (PROFILES[p].role or "none")
            }
            self.system.equal.append((dict.fromkeys(impossible, 1.0), 0))
        elif question == ORGS:
            impossible = {
                i
                for (p, c), i in self.index.items()
                if (c == "ticked") != (option in PROFILES[p].orgs)
            }
            self.system.equal.append((dict.fromkeys(impossible, 1.0), 0))
        for page, shown in pages.items():
            self._read(page, shown)

    def column(self, response: Response) -> str:
        given = response.get(self.question.id, ())
        if self.question.kind == "multiple":
            return "ticked" if self.option in given else "not"
        return given[0] if given else "none"

    def atoms(
        self, page: Any, columns: Sequence[str] | None = None, **where: Any
    ) -> dict[int, float]:
        chosen = set(columns if columns is not None else self.columns)
        return {
            i: 1.0
            for (p, c), i in self.index.items()
            if c in chosen
            and member(page, PROFILES[p])
            and all(test(PROFILES[p]) for test in where.values())
        }

    def _read(self, page: Any, shown: Page) -> None:
        equal, at_least = self.system.equal, self.system.at_least
        if shown.size is not None:
            equal.append((self.atoms(page), shown.size))
        # What the page says about the filters themselves constrains the profiles.
        role = shown.questions.get(ROLE.code)
        if role is not None:
            for value, count in role.counts.items():
                if count is not None:
                    equal.append((self.atoms(page, role=lambda p, v=value: p.role == v), count))
            if role.answered is not None:
                equal.append((self.atoms(page, role=lambda p: p.role is not None), role.answered))
        orgs = shown.questions.get(ORGS.code)
        if orgs is not None:
            for value, count in orgs.counts.items():
                if count is not None:
                    equal.append((self.atoms(page, org=lambda p, v=value: v in p.orgs), count))
        this = shown.questions.get(self.question.code)
        if this is None or self.question in FILTERS:
            return
        for value, percent in this.percents.items():
            assert percent is None or this.counts[value] is not None, "a percentage shows a count"
        if self.question.kind == "multiple":
            count = this.counts[self.option or ""]
            if count is not None:
                equal.append((self.atoms(page, ["ticked"]), count))
            return
        answers = self.columns[:-1]
        for value in answers:
            count = this.counts[value]
            if count is not None:
                equal.append((self.atoms(page, [value]), count))
        if this.answered is not None:
            equal.append((self.atoms(page, answers), this.answered))
        if this.mean is not None:
            assert this.answered is not None, "a mean comes with its n"
            low, high = total_range(this.mean, this.answered)
            total = {i: float(value) for value in answers for i in self.atoms(page, [value])}
            at_least.append((total, low))
            at_least.append(({i: -a for i, a in total.items()}, -high))
        if this.agree is not None:
            # round_percent(agree, applicable) == P: (2P-1)·applicable <= 200·agree < (2P+1)·…
            applicable = self.atoms(page, [v for v in answers if v != "na"])
            agree = self.atoms(page, ["4", "5"])
            share = this.agree
            lower = {i: -(2 * share - 1) for i in applicable}
            upper = {i: (2 * share + 1) for i in applicable}
            for i in agree:
                lower[i] += 200
                upper[i] -= 200
            at_least.append((lower, 0))
            at_least.append((upper, 0))

    def value(self, atoms: frozenset[int]) -> int:
        return sum(self.truth[i] for i in atoms)

    def targets(self, pages: Mapping[Any, Page]) -> Iterator[Target]:
        """Every group and cell a reader might want: the cross-tables of each filter (shown
        groups, the rest) against the columns, the whole wave's columns, and the atoms."""
        shown_roles = [page[1] for page in pages if page and page[0] == "role"]
        role_rows: list[tuple[str, Callable[[Profile], bool]]] = [
            (f"role={value}", lambda p, v=value: p.role == v) for value in shown_roles
        ]
        role_rows.append(("role=rest", lambda p: p.role not in shown_roles))
        org_rows: list[tuple[str, Callable[[Profile], bool]]] = []
        for page in pages:
            if page and page[0] == "orgs":
                org_rows.append((f"orgs∋{page[1]}", lambda p, v=page[1]: v in p.orgs))
                org_rows.append((f"orgs∌{page[1]}", lambda p, v=page[1]: v not in p.orgs))
        columns: list[tuple[str, list[str]]] = [(c, [c]) for c in self.columns]
        columns.append(("*", list(self.columns)))
        for (row_name, test), (column_name, chosen) in itertools.product(
            [("all", lambda p: True), *role_rows, *org_rows], columns
        ):
            atoms = frozenset(self.atoms(None, chosen, row=test))
            yield Target(f"{row_name}×{column_name}", atoms, self.value(atoms), True)
        for (p, c), i in self.index.items():
            yield Target(f"{PROFILES[p]}×{c}", frozenset({i}), self.truth[i], False)
        for p, profile in enumerate(PROFILES):
            atoms = frozenset(i for (q, _c), i in self.index.items() if q == p)
            yield Target(f"{profile}", atoms, self.value(atoms), False)


def attack(pages: Mapping[Any, Page], responses: Sequence[Response], k: int) -> list[str]:
    """What a reader can get back: each finding names a hidden number of 1 … k-1 and how."""
    findings = []
    for question in SPECS:
        for option in (
            [o.value for o in question.options] if question.kind == "multiple" else [None]
        ):
            if question in FILTERS and option not in (None, question.options[0].value):
                continue  # the profile equations are the same for every option of a filter
            found = Attack(pages, question, option, responses)
            span = Span(found.system)
            polytope = Polytope(found.system)
            for target in found.targets(pages):
                if not 0 < target.value < k:
                    continue
                objective = dict.fromkeys(target.atoms, 1.0)
                where = f"{question.code}{'/' + option if option else ''}: {target.name}"
                if span.contains(objective, found.system.size):
                    findings.append(f"{where} = {target.value} by subtraction")
                    continue
                low, high = polytope.bounds(objective)
                if low == high:
                    findings.append(f"{where} = {target.value} from the bounds")
                elif target.table_cell and low > 0 and high < k:
                    findings.append(f"{where} in {low} … {high}, truly {target.value}")
    return findings


# --- the tests ------------------------------------------------------------------------------------------


def test_the_toolbox_finds_what_the_audit_found() -> None:
    """The brief's example, published the old way (each group only against the whole wave):
    parents 25, foster parents 20, the rest 11; yes 23 in all, 12 and 10 in the groups."""
    responses: list[Response] = []
    for role, yes, no in (("parent", 12, 13), ("foster", 10, 10), ("other", 1, 10)):
        responses += [{ROLE.id: (role,), HELPED.id: ("yes",)}] * yes
        responses += [{ROLE.id: (role,), HELPED.id: ("no",)}] * no
    cells = {"yes": 23, "no": 33}

    def old_page(size: int, yes: int, no: int) -> Page:
        helped = Shown({"yes": yes, "no": no}, {"yes": None, "no": None}, yes + no, None, None)
        role = Shown({}, {}, None, None, None)
        return Page(size, {"helped": helped, "role": role})

    pages = {
        None: old_page(56, cells["yes"], cells["no"]),
        ("role", "parent"): old_page(25, 12, 13),
        ("role", "foster"): old_page(20, 10, 10),
    }
    found = Attack(pages, HELPED, None, responses)
    targets = {t.name: t for t in found.targets(pages)}
    rest_yes = dict.fromkeys(targets["role=rest×yes"].atoms, 1.0)
    assert Span(found.system).contains(rest_yes, found.system.size)
    assert Polytope(found.system).bounds(rest_yes) == (1, 1)


def test_the_brief_example_is_protected_now() -> None:
    responses: list[Response] = []
    for role, yes, no in (("parent", 12, 13), ("foster", 10, 10), ("other", 1, 10)):
        responses += [{ROLE.id: (role,), HELPED.id: ("yes",)}] * yes
        responses += [{ROLE.id: (role,), HELPED.id: ("no",)}] * no
    publication = publish([ROLE, HELPED], [ROLE], responses, 10)
    foster = publication.group(ROLE.id, "foster")
    assert foster is not None
    helped = foster.question(HELPED.id)
    assert helped is not None
    # The 10 "yes" alone would still follow from the group's size: "no" goes too.
    assert helped.cell("yes").count is None  # type: ignore[union-attr]
    assert helped.cell("no").count is None  # type: ignore[union-attr]
    assert helped.answered == 20
    pages = pages_of(publication, [ROLE, HELPED])
    assert not attack_partition(pages, responses, HELPED, 10)


def attack_partition(
    pages: Mapping[Any, Page], responses: Sequence[Response], question: QuestionSpec, k: int
) -> list[str]:
    found = Attack(pages, question, None, responses)
    span, polytope = Span(found.system), Polytope(found.system)
    findings = []
    for target in found.targets(pages):
        if 0 < target.value < k:
            objective = dict.fromkeys(target.atoms, 1.0)
            low, high = polytope.bounds(objective)
            if span.contains(objective, found.system.size) or low == high:
                findings.append(target.name)
    return findings


@pytest.mark.parametrize("seed", range(30))
def test_no_hidden_number_can_be_derived_from_every_page_of_a_generated_wave(seed: int) -> None:
    responses = generate_wave(seed)
    publication = publish(list(SPECS), list(FILTERS), responses, K)
    pages = pages_of(publication, SPECS)
    assert attack(pages, responses, K) == []


def test_generated_waves_have_filters_and_hidden_cells() -> None:
    """The attack above is only worth something when the waves give it work: filters shown next
    to each other and cells hidden because of them."""
    filters = hidden = 0
    for seed in range(12):
        publication = publish(list(SPECS), list(FILTERS), generate_wave(seed), K)
        filters += sum(len(values) for values in publication.filters.values())
        for group in publication.groups.values():
            for result in group.questions:
                hidden += sum(cell.count is None for cell in result.cells)
    assert filters >= 24
    assert hidden >= 100


def test_percentages_match_the_counts_they_come_with() -> None:
    publication = publish(list(SPECS), list(FILTERS), generate_wave(3), K)
    for group in [publication.whole, *publication.groups.values()]:
        for result in group.questions:
            for cell in result.cells:
                if cell.percent is not None:
                    assert cell.count is not None and result.base
                    assert cell.percent == round_percent(cell.count, result.base)
