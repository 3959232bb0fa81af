"""Survey figures with small-number protection (DESIGN invariant 2). Pure: no Flask, no database.

The unit of protection is a *partition*: a group of respondents whose total is published, split
into disjoint parts (the options of a question, plus "did not answer"). The rule everywhere is
that no number between 1 and k-1 may be shown or derived:

* primary suppression — every part below k is hidden, zero included, so a hidden part looks the
  same as an empty one;
* complementary suppression — while the hidden parts together hold 1 … k-1 (the total minus the
  shown parts would give that small number), the smallest shown part is hidden too, among equal
  ones the later option (answer cells before "did not answer");
* the "did not answer" part takes part like any other (except that "everyone answered" may be
  known): when it is hidden, the number of people who answered (n) is hidden, and with it the
  percentages (they would give n back);
* multiple choice: options are not additive, so each option is a partition of its own into
  "ticked" and "not ticked", over the size of the group;
* grades: a mean together with a partly hidden distribution is an extra equation that can give
  hidden parts away, so when the mean is shown the distribution is shown only if nothing of it is
  hidden, and otherwise not at all. A mean near the end of the scale can pin down a small number
  by itself (9.9 over ten people is nine 10s and one 9): then it is left out.

Filters on background questions are protected as statisticians protect a cross-table
(`protect_table`, docs/anonymity.md). The groups of one background question that may be shown —
plus a "rest" row for everyone else (no answer, or an answer whose group is not shown) — are the
rows, the parts of a question are the columns, and the whole wave's published figures are the
column totals. A reader can add and subtract rows, columns and totals, so every cell of the table
is protected against all of them together, not each group against the whole wave alone:

* a group (and the rest) is shown only when it has at least k people, or none;
* a column the whole wave hides is hidden in every group too, so a group never narrows down a
  hidden figure of the whole wave (and one table cannot leak into the next through it);
* in every row and every column, what is not shown holds 0 or at least k people;
* every hidden cell with 1 … k-1 people can, as far as a reader can tell from the published
  figures, be empty or hold k or more: it is neither derivable nor bounded to a small number.
  The audit checks this with small flow problems; complementary cells are hidden until it holds.

Protected is what can be derived by arithmetic from the published figures. A reader who also
replays the suppression rules can, in rare edge cases, still narrow a hidden cell down.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SINGLE_KINDS = frozenset({"single", "agreement", "yesno", "grade"})
MULTIPLE = "multiple"
GRADE = "grade"
AGREEMENT = "agreement"
YESNO = "yesno"
AGREE_VALUES = ("4", "5")
NOT_APPLICABLE = "na"


# --- the protection rules ------------------------------------------------------------------------


def is_safe(count: int, k: int) -> bool:
    """A number that may be shown or derived: nothing, or at least k."""
    return count == 0 or count >= k


def hidden_mass(parts: Sequence[int], hidden: Iterable[int]) -> int:
    return sum(parts[index] for index in set(hidden))


def known_parts(parts: Sequence[int], hidden: Iterable[int]) -> tuple[bool, ...]:
    """Which parts a reader can tell: the shown ones, and all of them when the hidden hold zero."""
    hidden = set(hidden)
    nothing_hidden = hidden_mass(parts, hidden) == 0
    return tuple(index not in hidden or nothing_hidden for index in range(len(parts)))


def protect(
    parts: Sequence[int], k: int, hidden: Iterable[int] = (), zero_shown: Iterable[int] = ()
) -> set[int]:
    """The indexes of `parts` to hide: primary, then complementary suppression.

    `hidden` holds parts that must be hidden for another reason. `zero_shown` holds parts that
    are never displayed as a cell of their own and may be known to be zero (the people who did not
    answer: "everyone answered" reveals no small group); they are hidden for the complementary
    step only when no displayed cell is left."""
    zero_shown = set(zero_shown)
    chosen = {
        index
        for index, count in enumerate(parts)
        if count < k and not (count == 0 and index in zero_shown)
    } | set(hidden)
    while 0 < hidden_mass(parts, chosen) < k:
        shown = [index for index in range(len(parts)) if index not in chosen and parts[index] > 0]
        if not shown:
            break  # cannot happen when the total is at least k
        # Displayed cells go first: hiding "did not answer" would take n and every percentage.
        chosen.add(min(shown, key=lambda index: (index in zero_shown, parts[index], -index)))
    return chosen


# --- cross-tables: the groups of one filter against the parts of one question ---------------------

Cell_ = tuple[int, int]  # (row, column) of the table as a reader sees it


@dataclass
class _ReaderView:
    """A cross-table as a reader sees it: the cells they cannot see, with what the published
    figures say the unseen cells of each row and each column hold together.

    The parts the whole wave shows are rows and columns of their own; the parts it hides are
    taken together (a reader only knows their sum). `cells` holds the true values of the unseen
    cells: the audit may use them, the reader may not."""

    supply: list[int]
    demand: list[int]
    cells: dict[Cell_, int]


def _condensed(known: Sequence[bool]) -> list[int]:
    """Per part its row (or column) as a reader sees it: the known parts one by one, the parts
    the whole wave hides together, last."""
    shown = [index for index, is_known in enumerate(known) if is_known]
    return [shown.index(index) if known[index] else len(shown) for index in range(len(known))]


def _reader_view(
    cells: Sequence[Sequence[int]],
    row_known: Sequence[bool],
    column_known: Sequence[bool],
    published: set[Cell_],
) -> _ReaderView:
    row_of, column_of = _condensed(row_known), _condensed(column_known)
    supply = [0] * (max(row_of, default=-1) + 1)
    demand = [0] * (max(column_of, default=-1) + 1)
    unseen: dict[Cell_, int] = {}
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if (r, c) not in published:
                cell = (row_of[r], column_of[c])
                unseen[cell] = unseen.get(cell, 0) + value
                supply[cell[0]] += value
                demand[cell[1]] += value
    return _ReaderView(supply, demand, unseen)


def _feasible(supply: Sequence[int], demand: Sequence[int], cells: Iterable[Cell_]) -> bool:
    """Whether non-negative numbers in `cells` can give every row its supply and every column its
    demand: a transportation problem, decided by a maximum flow (Edmonds–Karp)."""
    if min(supply, default=0) < 0 or min(demand, default=0) < 0 or sum(supply) != sum(demand):
        return False
    rows, columns = len(supply), len(demand)
    source, sink = rows + columns, rows + columns + 1
    capacity: dict[tuple[int, int], int] = {}
    neighbours: dict[int, set[int]] = {node: set() for node in range(rows + columns + 2)}

    def edge(start: int, end: int, amount: int) -> None:
        capacity[start, end] = capacity.get((start, end), 0) + amount
        capacity.setdefault((end, start), 0)
        neighbours[start].add(end)
        neighbours[end].add(start)

    for row, amount in enumerate(supply):
        edge(source, row, amount)
    for column, amount in enumerate(demand):
        edge(rows + column, sink, amount)
    for row, column in cells:
        edge(row, rows + column, sum(supply))
    flow, needed = 0, sum(supply)
    while flow < needed:
        came_from = {source: source}
        queue = deque([source])
        while queue and sink not in came_from:
            node = queue.popleft()
            for nxt in neighbours[node]:
                if nxt not in came_from and capacity[node, nxt] > 0:
                    came_from[nxt] = node
                    queue.append(nxt)
        if sink not in came_from:
            return False
        path, node = [], sink
        while node != source:
            path.append((came_from[node], node))
            node = came_from[node]
        amount = min(capacity[step] for step in path)
        for start, end in path:
            capacity[start, end] -= amount
            capacity[end, start] += amount
        flow += amount
    return True


def _cell_protected(view: _ReaderView, cell: Cell_, k: int) -> bool:
    """Whether a reader must allow a hidden cell to be empty, or to hold k or more."""
    value = view.cells[cell]
    row, column = cell
    # Quick witness: a rectangle of hidden cells along which the cell can be shifted.
    for other_row, other_column in view.cells:
        if other_row == row or other_column == column:
            continue
        across = view.cells.get((row, other_column))
        down = view.cells.get((other_row, column))
        if across is None or down is None:
            continue
        if view.cells[other_row, other_column] >= value or min(across, down) >= k - value:
            return True
    others = [other for other in view.cells if other != cell]
    if _feasible(view.supply, view.demand, others):
        return True
    supply, demand = list(view.supply), list(view.demand)
    supply[row] -= k
    demand[column] -= k
    return _feasible(supply, demand, view.cells)


def _determined(view: _ReaderView) -> set[Cell_]:
    """The hidden cells a reader can work out exactly from the row and column totals.

    The true table is one solution; a cell can grow when a cycle of hidden cells runs through
    it along which the others can give way (growing and shrinking in turn, shrinking only
    where there is something), and shrink likewise. A cell that can do neither is fixed: the
    reader can subtract their way to it. Found by a search in the residual graph per cell."""
    rows = len(view.supply)
    steps: dict[int, list[tuple[int, Cell_, bool]]] = {}
    for cell, value in view.cells.items():
        row, column = cell
        steps.setdefault(row, []).append((rows + column, cell, True))  # the cell may grow
        if value > 0:
            steps.setdefault(rows + column, []).append((row, cell, False))  # and may shrink

    def reaches(start: int, goal: int, skip: tuple[Cell_, bool]) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for nxt, cell, growing in steps.get(todo.pop(), ()):
                if nxt not in seen and (cell, growing) != skip:
                    if nxt == goal:
                        return True
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    fixed = set()
    for cell, value in view.cells.items():
        row, column = cell
        grows = reaches(rows + column, row, (cell, False))
        shrinks = value > 0 and reaches(row, rows + column, (cell, True))
        if not grows and not shrinks:
            fixed.add(cell)
    return fixed


@dataclass(frozen=True)
class _Problem:
    """What a reader could derive: the free hidden cells of a row or a column that together
    hold 1 … k-1, or one hidden cell with 1 … k-1 that can be neither empty nor k or more."""

    line: tuple[str, int] | None = None  # ("row" or "column", index)
    cell: Cell_ | None = None


def _free_mass(view: _ReaderView, fixed: set[Cell_], line: tuple[str, int]) -> int:
    axis = 0 if line[0] == "row" else 1
    return sum(
        value for cell, value in view.cells.items() if cell[axis] == line[1] and cell not in fixed
    )


def _problem(view: _ReaderView, k: int) -> _Problem | None:
    fixed = _determined(view)
    lines = [("row", r) for r in range(len(view.supply))]
    lines += [("column", c) for c in range(len(view.demand))]
    for line in lines:
        if not is_safe(_free_mass(view, fixed, line), k):
            return _Problem(line=line)
    for cell, value in sorted(view.cells.items()):
        if 0 < value < k and (cell in fixed or not _cell_protected(view, cell, k)):
            return _Problem(cell=cell)
    return None


def _solved(view: _ReaderView, problem: _Problem, k: int) -> bool:
    if problem.line is not None:
        return is_safe(_free_mass(view, _determined(view), problem.line), k)
    assert problem.cell is not None  # noqa: S101 - one of the two is set
    return problem.cell not in _determined(view) and _cell_protected(view, problem.cell, k)


def protect_cross(
    cells: Sequence[Sequence[int]],
    row_known: Sequence[bool],
    column_known: Sequence[bool],
    row_groups: Iterable[int],
    column_groups: Iterable[int],
    k: int,
    row_zero: Iterable[int] = (),
    column_zero: Iterable[int] = (),
) -> set[Cell_]:
    """The cells of a cross-table that may be shown.

    `cells` splits the whole wave by two questions (rows and columns: every part, "did not
    answer" included); `row_known` and `column_known` say which of its totals the whole wave
    shows. A row in `row_groups` is a filtered group, shown with its size and its split by the
    column question; likewise a column in `column_groups` (when both questions are filters, the
    same table is published both ways and must be protected once). `row_zero` and
    `column_zero` are the parts that are never a cell of their own ("did not answer", "not
    ticked"; see `protect`).

    Every group first protects itself (`protect`, with the parts the whole wave hides), then
    complementary cells are hidden, smallest first, until the audit finds nothing a reader
    could derive. Hiding everything is always safe, so this ends."""
    rows, columns = len(cells), len(cells[0]) if cells else 0
    row_groups, column_groups = sorted(set(row_groups)), sorted(set(column_groups))
    row_zero, column_zero = frozenset(row_zero), frozenset(column_zero)
    everything = {(r, c) for r in range(rows) for c in range(columns)}
    showable = {(r, c) for r in row_groups for c in range(columns)}
    showable |= {(r, c) for c in column_groups for r in range(rows)}
    showable = {(r, c) for r, c in showable if row_known[r] and column_known[c]}

    def settle(hidden: set[Cell_]) -> set[Cell_]:
        """Hide in each group what it must hide for itself, also for a cell hidden elsewhere."""
        hidden = set(hidden)
        while True:
            before = len(hidden)
            for r in row_groups:
                own = {c for c in range(columns) if (r, c) in hidden}
                hidden |= {(r, c) for c in protect(cells[r], k, own, column_zero)}
            for c in column_groups:
                column = [cells[r][c] for r in range(rows)]
                own = {r for r in range(rows) if (r, c) in hidden}
                hidden |= {(r, c) for r in protect(column, k, own, row_zero)}
            if len(hidden) == before:
                return hidden

    row_of, column_of = _condensed(row_known), _condensed(column_known)
    hidden = settle(everything - showable)
    while True:
        published = everything - hidden
        problem = _problem(_reader_view(cells, row_known, column_known, published), k)
        if problem is None:
            return published
        # Shown cells, smallest first; "did not answer" last, as in `protect`.
        candidates = [
            (r, c)
            for _zero, _count, _later, r, c in sorted(
                (c in column_zero or r in row_zero, cells[r][c], -c - r, r, c) for r, c in published
            )
        ]
        if not candidates:  # cannot happen: a fully hidden table gives nothing away
            return set()
        if problem.cell is not None:
            row, column = problem.cell
        else:
            assert problem.line is not None  # noqa: S101 - one of the two is set
            row = problem.line[1] if problem.line[0] == "row" else -1
            column = problem.line[1] if problem.line[0] == "column" else -1
        # Cells in the row or column in question first: they are the ones that usually help.
        near = [(r, c) for r, c in candidates if row_of[r] == row or column_of[c] == column]
        candidates = near + [cell for cell in candidates if cell not in near]
        chosen = next(
            (
                cell
                for cell in candidates
                if _solved(
                    _reader_view(
                        cells, row_known, column_known, everything - settle(hidden | {cell})
                    ),
                    problem,
                    k,
                )
            ),
            None,
        )
        if chosen is None:
            # No single cell does it: open up the row or column in question and look again.
            chosen = candidates[0]
        hidden = settle(hidden | {chosen})


def protect_table(
    rows: Sequence[Sequence[int]],
    totals: Sequence[int],
    known: Sequence[bool],
    k: int,
    zero_shown: Iterable[int] = (),
) -> list[set[int]]:
    """The parts to hide in each filtered group of a cross-table whose rows are the groups and
    the rest of the wave (`totals` minus the groups, never shown; 0 or at least k people)."""
    rest = [total - sum(row[j] for row in rows) for j, total in enumerate(totals)]
    published = protect_cross(
        [*rows, rest],
        [True] * (len(rows) + 1),
        known,
        range(len(rows)),
        (),
        k,
        column_zero=zero_shown,
    )
    return [{j for j in range(len(totals)) if (i, j) not in published} for i in range(len(rows))]


# --- numbers as shown ------------------------------------------------------------------------------


def round_percent(count: int, base: int) -> int:
    """A whole percentage, halves rounded up (not to even: people expect 12.5 to be 13)."""
    return (200 * count + base) // (2 * base)


def one_decimal(total: int, count: int) -> Decimal:
    """total / count to one decimal, halves rounded up, without floating-point surprises."""
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bar_width(percent: int | None) -> int:
    """The chart bar's width class: the percentage to the nearest 5 (CSS classes bar-0 … bar-100)."""
    if not percent:
        return 0
    return min(100, max(0, (percent + 2) // 5 * 5))


# --- what is computed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    value: str
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    """What the figures need to know of a closed question, labels already in the reader's language."""

    id: int
    code: str
    kind: str
    label: str
    options: tuple[OptionSpec, ...]


# One response's closed answers: per question id the values given (several for multiple choice).
Response = Mapping[int, Sequence[str]]


@dataclass(frozen=True)
class Figures:
    """The raw counts of one group: its size, and per question id the responses per answer value."""

    size: int
    counts: Mapping[int, Mapping[str, int]] = field(default_factory=dict)

    def of(self, question: QuestionSpec) -> list[int]:
        counts = self.counts.get(question.id, {})
        return [int(counts.get(option.value, 0)) for option in question.options]


def figures_of(responses: Sequence[Response]) -> Figures:
    counts: dict[int, dict[str, int]] = {}
    for response in responses:
        for question_id, values in response.items():
            per_value = counts.setdefault(question_id, {})
            for value in set(values):
                per_value[value] = per_value.get(value, 0) + 1
    return Figures(len(responses), counts)


@dataclass(frozen=True)
class Cell:
    value: str
    label: str
    count: int | None  # None: hidden — too few, or none at all; the two look the same
    percent: int | None

    @property
    def bar(self) -> int:
        return bar_width(self.percent)


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionSpec
    cells: tuple[Cell, ...]
    answered: int | None = None  # n: how many answered; None when hidden (or multiple choice)
    base: int | None = None  # what the percentages are of: n, or the group size (multiple)
    mean: Decimal | None = None
    agree_percent: int | None = None
    distribution_hidden: bool = False  # grade: the mean is shown, the distribution is not
    # What a reader knows, per partition and part: the column totals of the cross-tables.
    known: tuple[tuple[bool, ...], ...] = ()

    @property
    def has_percentages(self) -> bool:
        return any(cell.percent is not None for cell in self.cells)

    @property
    def shows_anything(self) -> bool:
        return (
            any(cell.count is not None for cell in self.cells)
            or self.answered is not None
            or self.mean is not None
        )

    def cell(self, value: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.value == value), None)


@dataclass(frozen=True)
class GroupResult:
    """The figures of one group (the whole wave, or a filtered part of it)."""

    size: int | None  # None when the group is too small to show
    questions: tuple[QuestionResult, ...]

    @property
    def enough(self) -> bool:
        return self.size is not None

    def question(self, question_id: int) -> QuestionResult | None:
        return next((q for q in self.questions if q.question.id == question_id), None)


def _hidden_result(question: QuestionSpec) -> QuestionResult:
    cells = tuple(Cell(option.value, option.label, None, None) for option in question.options)
    partitions = len(question.options) if question.kind == MULTIPLE else 1
    width = 2 if question.kind == MULTIPLE else len(question.options) + 1
    return QuestionResult(question, cells, known=((False,) * width,) * partitions)


def total_range(mean: Decimal, n: int) -> tuple[int, int]:
    """The whole-number totals over n people that give this mean, rounded to one decimal."""
    half = Decimal("0.05")
    return math.ceil((mean - half) * n), math.ceil((mean + half) * n) - 1


def _sums_possible(people: int, grades: Sequence[int], low: int, high: int) -> bool:
    """Whether `people` grades from `grades` (a scale missing at most one step) can add up to a
    total between low and high."""
    if people == 0:
        return low <= 0 <= high
    if people == 1:
        return any(low <= grade <= high for grade in grades)
    lowest, highest = people * min(grades), people * max(grades)
    # Two or more people reach every total in between, except one step from an end of the scale
    # when the step next to that end is missing (without 9, ten people cannot total 99).
    gaps = set()
    if max(grades) - 1 not in grades:
        gaps.add(highest - 1)
    if min(grades) + 1 not in grades:
        gaps.add(lowest + 1)
    start, end = max(low, lowest), min(high, highest)
    if end - start + 1 > len(gaps):
        return end >= start
    return any(total not in gaps for total in range(start, end + 1))


def mean_gives_away(n: int, low: int, high: int, grades: Sequence[int], k: int) -> bool:
    """Whether knowing that n people's grades add up to between low and high tells that the
    number who gave some grade, or who gave any other grade, is between 1 and k-1. A mean near
    the end of the scale does: 9.9 over ten people means exactly one 9; 9.2 over five people
    means one to four 10s."""
    if n <= 0:
        return False
    for grade in grades:
        others = [other for other in grades if other != grade]

        def possible(given: int, grade: int = grade, others: list[int] = others) -> bool:
            return _sums_possible(n - given, others, low - given * grade, high - given * grade)

        # Few (1 … k-1) gave this grade for sure: not none, and not k or more.
        if not possible(0) and not any(possible(given) for given in range(k, n + 1)):
            return True
        # Few did not: not all of them, and not n-k or fewer.
        if not possible(n) and not any(possible(given) for given in range(n - k, -1, -1)):
            return True
    return False


def _grades(question: QuestionSpec) -> list[int]:
    return [int(option.value) for option in question.options]


def _grade_mean(
    question: QuestionSpec, counts: Sequence[int], parts: Sequence[int], hidden: set[int], k: int
) -> tuple[Decimal | None, bool]:
    """The whole wave's mean to show (or None), and whether the whole distribution must be hidden.

    A mean is one more equation about the hidden cells. It is shown when the distribution is
    fully known anyway; otherwise only instead of the distribution, and only when it does not
    pin down a small number by itself."""
    grades = _grades(question)
    answered = sum(counts)
    total = sum(grade * count for grade, count in zip(grades, counts, strict=True))
    mean = one_decimal(total, answered)
    if hidden_mass(parts, hidden) == 0:
        return mean, False
    low, high = total_range(mean, answered)
    if mean_gives_away(answered, low, high, grades, k):
        return None, False
    return mean, True


def _single_from(
    question: QuestionSpec,
    counts: Sequence[int],
    size: int,
    hidden: set[int],
    k: int,
    mean: Decimal | None = None,
    distribution_hidden: bool = False,
) -> QuestionResult:
    """The result of a single-answer question once it is decided what to hide."""
    answered = sum(counts)
    parts = [*counts, size - answered]
    known = known_parts(parts, hidden)
    n_shown = known[-1] and answered >= k
    cells = []
    for index, option in enumerate(question.options):
        shown = index not in hidden
        count = counts[index] if shown else None
        percent = round_percent(counts[index], answered) if shown and n_shown else None
        cells.append(Cell(option.value, option.label, count, percent))
    agree_percent = None
    if question.kind == AGREEMENT and n_shown:
        # Only from cells the reader knows: the share then tells nothing new.
        index_of = {option.value: index for index, option in enumerate(question.options)}
        involved = [
            index_of[value] for value in (*AGREE_VALUES, NOT_APPLICABLE) if value in index_of
        ]
        if all(known[index] for index in involved):
            applicable = (
                answered - counts[index_of[NOT_APPLICABLE]]
                if NOT_APPLICABLE in index_of
                else answered
            )
            agree = sum(counts[index_of[value]] for value in AGREE_VALUES if value in index_of)
            if applicable >= k:
                agree_percent = round_percent(agree, applicable)
    return QuestionResult(
        question,
        tuple(cells),
        answered=answered if n_shown else None,
        base=answered if n_shown else None,
        mean=mean if n_shown else None,
        agree_percent=agree_percent,
        distribution_hidden=distribution_hidden and mean is not None and n_shown,
        known=(known,),
    )


def _single_result(question: QuestionSpec, group: Figures, k: int) -> QuestionResult:
    counts = group.of(question)
    answered = sum(counts)
    parts = [*counts, group.size - answered]
    hidden = protect(parts, k, zero_shown={len(counts)})
    known = known_parts(parts, hidden)
    mean: Decimal | None = None
    distribution_hidden = False
    if question.kind == GRADE and known[-1] and answered >= k:
        mean, distribution_hidden = _grade_mean(question, counts, parts, hidden, k)
        if distribution_hidden:
            hidden |= set(range(len(counts)))
    return _single_from(question, counts, group.size, hidden, k, mean, distribution_hidden)


def _multiple_cells(
    question: QuestionSpec, counts: Sequence[int], size: int, hidden: Sequence[set[int]]
) -> QuestionResult:
    cells, known = [], []
    for index, option in enumerate(question.options):
        known.append(known_parts([counts[index], size - counts[index]], hidden[index]))
        shown = 0 not in hidden[index]
        cells.append(
            Cell(
                option.value,
                option.label,
                counts[index] if shown else None,
                round_percent(counts[index], size) if shown else None,
            )
        )
    return QuestionResult(question, tuple(cells), base=size, known=tuple(known))


def _multiple_result(question: QuestionSpec, group: Figures, k: int) -> QuestionResult:
    counts = group.of(question)
    hidden = [protect([count, group.size - count], k, zero_shown={1}) for count in counts]
    return _multiple_cells(question, counts, group.size, hidden)


def question_result(question: QuestionSpec, group: Figures, k: int) -> QuestionResult:
    """The protected figures of one closed question for the whole wave (at least k people)."""
    if question.kind == MULTIPLE:
        return _multiple_result(question, group, k)
    if question.kind in SINGLE_KINDS:
        return _single_result(question, group, k)
    raise ValueError(question.kind)


def group_result(questions: Sequence[QuestionSpec], group: Figures, k: int) -> GroupResult:
    """The figures of the whole wave: nothing at all when it has fewer than k respondents."""
    if group.size < k:
        return GroupResult(None, tuple(_hidden_result(question) for question in questions))
    return GroupResult(group.size, tuple(question_result(q, group, k) for q in questions))


# --- filtered groups ----------------------------------------------------------------------------


_Key = tuple[int, int | None]  # a filter: background question id, option (multiple choice)


def _parts_fine(
    parts: Sequence[tuple[int, int, int]],
    answered: int,
    low: int,
    high: int,
    grades: Sequence[int],
    k: int,
) -> bool:
    """Whether groups whose totals lie between known bounds, and the rest of `answered` people
    (anything between all lowest and all highest grades), keep every grade count safe when the
    whole total lies between low and high."""
    others = answered - sum(n for n, _low, _high in parts)
    parts = [*parts, (others, others * min(grades), others * max(grades))]
    sum_low = sum(part_low for _n, part_low, _high in parts)
    sum_high = sum(part_high for _n, _low, part_high in parts)
    for n, part_low, part_high in parts:
        # What the whole wave minus all other parts leaves for this part.
        least = max(part_low, low - (sum_high - part_high))
        most = min(part_high, high - (sum_low - part_low))
        if mean_gives_away(n, least, most, grades, k):
            return False
    return True


def _shared_means(
    question: QuestionSpec,
    whole: QuestionResult,
    families: Mapping[_Key, Mapping[int, tuple[int, int]]],
    k: int,
) -> dict[_Key, set[int]]:
    """Which groups may show their mean when the whole wave shows a mean but no distribution.

    `families` holds per filter the groups whose n is shown, with their answered count and
    total of grades. A reader knows each shown mean's total to within its rounding, and adds
    and subtracts: within a filter (the groups and the rest make up the whole wave), and across
    filters through the whole wave's total, which every filter's means narrow down. No part may
    then give a small number away (see mean_gives_away); while one does, the mean of the
    smallest group goes."""
    if whole.mean is None or whole.answered is None:
        return {key: set() for key in families}
    grades = _grades(question)
    lowest, highest = min(grades), max(grades)
    ranges: dict[_Key, dict[int, tuple[int, int, int]]] = {}
    for key, groups in families.items():
        ranges[key] = {}
        for group, (answered, total) in groups.items():
            low, high = total_range(one_decimal(total, answered), answered)
            if not mean_gives_away(answered, low, high, grades, k):
                ranges[key][group] = (answered, low, high)
    while True:
        low, high = total_range(whole.mean, whole.answered)
        for shown in ranges.values():
            others = whole.answered - sum(n for n, _low, _high in shown.values())
            low = max(low, sum(part[1] for part in shown.values()) + others * lowest)
            high = min(high, sum(part[2] for part in shown.values()) + others * highest)
        trouble = [
            key
            for key, shown in ranges.items()
            if shown and not _parts_fine(list(shown.values()), whole.answered, low, high, grades, k)
        ]
        if not trouble and mean_gives_away(whole.answered, low, high, grades, k):
            trouble = [key for key, shown in ranges.items() if shown]
        if not trouble:
            return {key: set(shown) for key, shown in ranges.items()}
        key, group = min(
            ((key, group) for key in trouble for group in ranges[key]),
            key=lambda item: (ranges[item[0]][item[1]][0], item),
        )
        del ranges[key][group]


@dataclass(frozen=True)
class _Partition:
    """How a closed question splits people: by answer, plus "did not answer" last — or, for
    one option of a multiple-choice question, into ticked and not ticked."""

    question: QuestionSpec
    option: int | None = None

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.question.id, self.option)

    @property
    def size(self) -> int:
        return 2 if self.option is not None else len(self.question.options) + 1

    @property
    def zero(self) -> frozenset[int]:
        """The part that is never a cell of its own: "did not answer", "not ticked"."""
        return frozenset({self.size - 1})

    def part(self, response: Response) -> int:
        given = response.get(self.question.id, ())
        if self.option is not None:
            return 0 if self.question.options[self.option].value in given else 1
        values = [option.value for option in self.question.options]
        # An answer that is not an option of this version counts as no answer, as in Figures.
        return values.index(given[0]) if given and given[0] in values else len(values)

    def known(self, whole: GroupResult) -> tuple[bool, ...]:
        result = whole.question(self.question.id)
        if result is None or not result.known:
            return (False,) * self.size
        return result.known[self.option or 0]


def _partitions(question: QuestionSpec) -> list[_Partition]:
    if question.kind == MULTIPLE:
        return [_Partition(question, index) for index in range(len(question.options))]
    return [_Partition(question)]


class _Tables:
    """The cross-tables of one wave: every filter's partition against every question's, each
    protected once — a table of two filters is published both ways round."""

    def __init__(
        self,
        responses: Sequence[Response],
        whole: GroupResult,
        groups: Mapping[tuple[int, int | None], list[int]],
        k: int,
    ) -> None:
        self.responses, self.whole, self.groups, self.k = responses, whole, groups, k
        self.parts: dict[_Key, list[int]] = {}
        self.counts: dict[tuple[_Key, _Key], list[list[int]]] = {}
        self.published: dict[tuple[_Key, _Key], set[Cell_]] = {}

    def _parts(self, partition: _Partition) -> list[int]:
        if partition.key not in self.parts:
            self.parts[partition.key] = [partition.part(r) for r in self.responses]
        return self.parts[partition.key]

    def cells(self, rows: _Partition, columns: _Partition) -> list[list[int]]:
        key = (rows.key, columns.key)
        if key not in self.counts:
            table = [[0] * columns.size for _row in range(rows.size)]
            for row, column in zip(self._parts(rows), self._parts(columns), strict=True):
                table[row][column] += 1
            self.counts[key] = table
        return self.counts[key]

    def shown(self, rows: _Partition, columns: _Partition) -> set[Cell_]:
        key = (rows.key, columns.key)
        if key not in self.published:
            turned = (columns.key, rows.key)
            if turned in self.published:
                self.published[key] = {(c, r) for r, c in self.published[turned]}
            else:
                both = columns.key in self.groups and columns.key != rows.key
                self.published[key] = protect_cross(
                    self.cells(rows, columns),
                    rows.known(self.whole),
                    columns.known(self.whole),
                    self.groups[rows.key],
                    self.groups[columns.key] if both else (),
                    self.k,
                    rows.zero,
                    columns.zero,
                )
        return self.published[key]

    def row(self, rows: _Partition, group: int, columns: _Partition) -> tuple[list[int], set[int]]:
        """A filtered group's split by a question: the counts and the parts to hide."""
        shown = self.shown(rows, columns)
        hidden = {c for c in range(columns.size) if (group, c) not in shown}
        return self.cells(rows, columns)[group], hidden


def _single_results(
    tables: _Tables,
    family: _Partition,
    question: QuestionSpec,
    whole: QuestionResult,
    k: int,
    shared_means: set[int],
) -> dict[int, QuestionResult]:
    """The results of one single-answer question for every group of a filter. `shared_means`:
    the groups that may show a mean next to a whole wave that shows only a mean."""
    (columns,) = _partitions(question)
    answer_count = len(question.options)
    rows = {group: tables.row(family, group, columns) for group in tables.groups[family.key]}
    means: dict[int, Decimal | None] = dict.fromkeys(rows)
    if question.kind == GRADE:
        grades = _grades(question)
        for group, (row, hidden) in rows.items():
            answered = sum(row[:answer_count])
            total = sum(g * c for g, c in zip(grades, row[:answer_count], strict=True))
            n_known = known_parts(row, hidden)[-1] and answered >= k
            # With a distribution that is partly hidden a mean would be one more equation.
            fully_known = hidden_mass(row, hidden) == 0
            if n_known and (group in shared_means if whole.distribution_hidden else fully_known):
                means[group] = one_decimal(total, answered)
    return {
        group: _single_from(
            question,
            row[:answer_count],
            sum(row),
            hidden,
            k,
            means[group],
            distribution_hidden=whole.distribution_hidden,
        )
        for group, (row, hidden) in rows.items()
    }


def _multiple_results(
    tables: _Tables, family: _Partition, question: QuestionSpec
) -> dict[int, QuestionResult]:
    results = {}
    for group in tables.groups[family.key]:
        counts, hidden = [], []
        for columns in _partitions(question):
            row, row_hidden = tables.row(family, group, columns)
            counts.append(row[0])
            hidden.append(row_hidden)
            size = sum(row)
        results[group] = _multiple_cells(question, counts, size, hidden)
    return results


def filter_values(question: QuestionSpec, whole: GroupResult, k: int) -> list[str]:
    """The answers of a background question whose group may be shown: those whose count the
    whole wave shows. Then the group has at least k people, and the rest — for a single answer
    everyone in no shown group, for multiple choice everyone without that answer — has 0 or at
    least k (it is what the whole wave hides, plus "did not answer", each 0 or at least k)."""
    result = whole.question(question.id) if whole.enough else None
    if result is None or whole.size is None:
        return []
    values = [cell.value for cell in result.cells if cell.count]
    if question.kind == MULTIPLE:
        counts = {cell.value: cell.count or 0 for cell in result.cells}
        return [value for value in values if is_safe(whole.size - counts[value], k)]
    # Belt and braces: should the rest ever be small, groups go into the rest, smallest first.
    counts = {cell.value: cell.count or 0 for cell in result.cells}
    while values and not is_safe(whole.size - sum(counts[value] for value in values), k):
        values.remove(min(values, key=lambda value: counts[value]))
    return values


@dataclass(frozen=True)
class Publication:
    """Everything the results pages and exports may show of one wave: the whole wave and every
    filtered group, protected together."""

    whole: GroupResult
    groups: Mapping[tuple[int, str], GroupResult]
    filters: Mapping[int, tuple[str, ...]]  # background question id -> values that may be chosen

    def group(self, question_id: int, value: str) -> GroupResult | None:
        return self.groups.get((question_id, value))


def _grade_sums(
    tables: _Tables, families: Mapping[_Key, _Partition], question: QuestionSpec, k: int
) -> dict[_Key, dict[int, tuple[int, int]]]:
    """Per filter, the groups that show n for a grade question: answered count, total."""
    (columns,) = _partitions(question)
    grades = _grades(question)
    sums: dict[_Key, dict[int, tuple[int, int]]] = {}
    for key, family in families.items():
        sums[key] = {}
        for group in tables.groups[key]:
            row, hidden = tables.row(family, group, columns)
            answered = sum(row[: len(grades)])
            if known_parts(row, hidden)[-1] and answered >= k:
                total = sum(g * c for g, c in zip(grades, row[: len(grades)], strict=True))
                sums[key][group] = (answered, total)
    return sums


def publish(
    questions: Sequence[QuestionSpec],
    filters: Sequence[QuestionSpec],
    responses: Sequence[Response],
    k: int,
) -> Publication:
    """The protected figures of a wave and of every group a background question may filter on.

    A single-answer background question splits the wave into its shown groups and the rest; a
    multiple-choice one, per answer, into the people with that answer and those without. Each
    split is protected against each question as one cross-table (`protect_cross`)."""
    whole = group_result(questions, figures_of(responses), k)
    asked = {question.id for question in questions}
    allowed: dict[int, tuple[str, ...]] = {}
    groups: dict[tuple[int, int | None], list[int]] = {}
    for question in filters:
        if question.id not in asked:
            continue
        values = filter_values(question, whole, k)
        allowed[question.id] = tuple(values)
        option_values = [option.value for option in question.options]
        if question.kind == MULTIPLE:
            for index, value in enumerate(option_values):
                groups[question.id, index] = [0] if value in values else []
        else:
            groups[question.id, None] = [option_values.index(value) for value in values]
    tables = _Tables(responses, whole, groups, k)
    families = {
        key: _Partition(next(q for q in filters if q.id == key[0]), key[1])
        for key, rows in groups.items()
        if rows
    }
    shared_means = {
        question.id: _shared_means(
            question, whole_result, _grade_sums(tables, families, question, k), k
        )
        for question in questions
        if question.kind == GRADE
        and (whole_result := whole.question(question.id)) is not None
        and whole_result.distribution_hidden
    }
    published: dict[tuple[int, str], GroupResult] = {}
    for key, rows in groups.items():
        if not rows:
            continue
        question_id, option = key
        family = families[key]
        per_group: dict[int, list[QuestionResult]] = {group: [] for group in rows}
        for question in questions:
            whole_result = whole.question(question.id)
            if whole_result is None:
                results = {group: _hidden_result(question) for group in rows}
            elif question.kind == MULTIPLE:
                results = _multiple_results(tables, family, question)
            else:
                means = shared_means.get(question.id, {}).get(key, set())
                results = _single_results(tables, family, question, whole_result, k, means)
            for group in rows:
                per_group[group].append(results[group])
        for group, results_ in per_group.items():
            index = option if option is not None else group
            value = family.question.options[index].value
            size = sum(tables.cells(family, family)[group])
            published[question_id, value] = GroupResult(size, tuple(results_))
    return Publication(whole, published, allowed)


def shown_counts(counts: Iterable[tuple[str, int]], size: int, k: int) -> list[tuple[str, int]]:
    """Counts of a not-additive kind (themes mentioned in open answers) that may be shown: at
    least k, and the people without it 0 or at least k too."""
    return [(key, count) for key, count in counts if count >= k and is_safe(size - count, k)]


# --- counts outside the results pages ---------------------------------------------------------


def shown_count(count: int, k: int) -> int | None:
    """A count of respondents that may be shown on its own (a wave's responses): from k on;
    None below k, zero included, so a hidden group looks the same as an empty one."""
    return count if count >= k else None


def in_steps(count: int, k: int) -> int | None:
    """A count that changes one person at a time while people answer (invitations used),
    rounded down to a multiple of k; None below k. Watching it shows at most that k more
    people answered, never when one did, and what it hides from another shown count (the
    responses of a wave minus those through invitations) always takes k values in a row, so
    it can be 0 or at least k as far as a reader can tell."""
    return count // k * k if count >= k else None
