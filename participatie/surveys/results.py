"""Survey figures with small-number protection (DESIGN invariant 2). Pure: no Flask, no database.

The unit of protection is a *partition*: a group of respondents whose total is published, split
into disjoint parts (the options of a question, plus "did not answer"). A part is **known** to a
reader when it is shown, or when the hidden parts together hold nothing (then every hidden part is
zero). The rule everywhere is that no number between 1 and k-1 may be shown or derived:

* primary suppression — every part below k is hidden, zero included, so a hidden part looks the
  same as an empty one;
* complementary suppression — while the hidden parts together hold 1 … k-1 (the total minus the
  shown parts would give that small number), the smallest shown part is hidden too, among equal
  ones the later option (answer cells before "did not answer");
* the "did not answer" part takes part like any other (except that "everyone answered" may be
  known): when it is hidden, the number of people who answered (n) is hidden, and with it the
  percentages (they would give n back);
* a filtered group is published next to the whole wave, so its complement (the rest of the wave)
  is a partition too: a part is hidden when the rest's part is 1 … k-1, and parts are hidden until
  the rest's parts that cannot be derived hold 0 or at least k respondents;
* multiple choice: options are not additive, so each option is a partition of its own into
  "ticked" and "not ticked", over the size of the group;
* grades: a mean together with a partly hidden distribution is an extra equation that can give
  hidden parts away, so when the mean is shown the distribution is shown only if nothing of it is
  hidden, and otherwise not at all. A mean near the end of the scale can pin down a small number
  by itself (9.9 over ten people is nine 10s and one 9): then it is left out, also when it would
  do so for the rest of the wave next to the whole wave's mean. In a filtered group, when the
  whole wave's distribution is fully known, the filtered mean is left out (the whole wave's zeros
  would pin it down).

Protected is what can be derived by arithmetic from the published figures. A reader who also
replays the suppression rules can, in rare edge cases, still narrow a hidden cell down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SINGLE_KINDS = frozenset({"single", "agreement", "yesno", "grade"})
MULTIPLE = "multiple"
GRADE = "grade"
AGREEMENT = "agreement"
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


def protect_subgroup(
    group: Sequence[int],
    rest: Sequence[int],
    whole_known: Sequence[bool],
    k: int,
    zero_shown: Iterable[int] = (),
) -> set[int]:
    """The parts to hide for a filtered group published next to the whole wave.

    `rest` is whole minus group per part; `whole_known` says which parts of the whole a reader
    knows. A part of the rest can be derived when both its whole and group part are known."""
    zero_shown = set(zero_shown)
    chosen = {index for index, count in enumerate(rest) if 0 < count < k}
    while True:
        chosen = protect(group, k, chosen, zero_shown)
        group_known = known_parts(group, chosen)
        rest_mass = sum(
            count
            for index, count in enumerate(rest)
            if not (group_known[index] and whole_known[index])
        )
        if not 0 < rest_mass < k:
            return chosen
        shown = [index for index in range(len(group)) if index not in chosen]
        if not shown:
            return chosen  # cannot happen when rest and group are at least k
        useful = [index for index in shown if rest[index] > 0] or shown
        chosen.add(min(useful, key=lambda index: (index in zero_shown, group[index], -index)))


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


@dataclass(frozen=True)
class Figures:
    """The raw counts of one group: its size, and per question id the responses per answer value."""

    size: int
    counts: Mapping[int, Mapping[str, int]] = field(default_factory=dict)

    def of(self, question: QuestionSpec) -> list[int]:
        counts = self.counts.get(question.id, {})
        return [int(counts.get(option.value, 0)) for option in question.options]


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
    # What a reader knows, per partition and part: for the protection of filtered groups.
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
    """Whether knowing that n people's grades add up to between low and high fixes how many gave
    some grade at a number from 1 to k-1 (a mean near the end of the scale does: 9.9 over ten
    people means exactly one 9)."""
    if n <= 0:
        return False
    for grade in grades:
        others = [other for other in grades if other != grade]
        possible = [
            given
            for given in range(n + 1)
            if _sums_possible(n - given, others, low - given * grade, high - given * grade)
        ]
        if len(possible) == 1 and 0 < possible[0] < k:
            return True
    return False


def _grade_mean(
    question: QuestionSpec,
    counts: Sequence[int],
    parts: Sequence[int],
    hidden: set[int],
    k: int,
    whole: tuple[Figures, QuestionResult] | None,
) -> tuple[Decimal | None, bool]:
    """The mean to show (or None), and whether the whole distribution must be hidden.

    A mean is one more equation about the hidden cells. It is shown when the distribution is
    fully known anyway; otherwise only instead of the distribution, and only when neither it nor
    what it gives for the rest of the wave (next to the whole wave's mean) pins down a small
    number."""
    grades = [int(option.value) for option in question.options]
    answered = sum(counts)
    total = sum(grade * count for grade, count in zip(grades, counts, strict=True))
    mean = one_decimal(total, answered)
    exact = hidden_mass(parts, hidden) == 0
    low, high = (total, total) if exact else total_range(mean, answered)
    if whole is not None:
        whole_figures, whole_result = whole
        whole_known = all(whole_result.known[0][: len(counts)])
        if whole_result.mean is not None and whole_result.answered is not None:
            if whole_known:
                whole_counts = whole_figures.of(question)
                whole_low = whole_high = sum(
                    grade * count for grade, count in zip(grades, whole_counts, strict=True)
                )
            else:
                whole_low, whole_high = total_range(whole_result.mean, whole_result.answered)
            rest = whole_result.answered - answered
            if mean_gives_away(rest, whole_low - high, whole_high - low, grades, k):
                return None, True
        if whole_known and not exact:
            # With the whole wave's zeros known, a mean would pin down the hidden cells.
            return None, False
    if exact:
        return mean, False
    if mean_gives_away(answered, low, high, grades, k):
        return None, False
    return mean, True


def _single_result(
    question: QuestionSpec,
    group: Figures,
    k: int,
    whole: tuple[Figures, QuestionResult] | None,
) -> QuestionResult:
    counts = group.of(question)
    answered = sum(counts)
    parts = [*counts, group.size - answered]
    whole_known: tuple[bool, ...] = ()
    if whole is None:
        hidden = protect(parts, k, zero_shown={len(counts)})
    else:
        whole_figures, whole_result = whole
        whole_counts = whole_figures.of(question)
        whole_parts = [*whole_counts, whole_figures.size - sum(whole_counts)]
        rest = [w - g for w, g in zip(whole_parts, parts, strict=True)]
        whole_known = whole_result.known[0]
        hidden = protect_subgroup(parts, rest, whole_known, k, zero_shown={len(counts)})
    known = known_parts(parts, hidden)
    n_shown = known[-1] and answered >= k
    mean: Decimal | None = None
    distribution_hidden = False
    if question.kind == GRADE and n_shown and answered:
        mean, grade_hidden = _grade_mean(question, counts, parts, hidden, k, whole)
        if grade_hidden:
            hidden |= set(range(len(counts)))
            distribution_hidden = mean is not None
            known = known_parts(parts, hidden)
    cells = []
    for index, option in enumerate(question.options):
        shown = index not in hidden
        count = counts[index] if shown else None
        percent = round_percent(counts[index], answered) if shown and n_shown else None
        cells.append(Cell(option.value, option.label, count, percent))
    agree_percent = None
    if question.kind == AGREEMENT and n_shown:
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
        mean=mean,
        agree_percent=agree_percent,
        distribution_hidden=distribution_hidden,
        known=(known,),
    )


def _multiple_result(
    question: QuestionSpec,
    group: Figures,
    k: int,
    whole: tuple[Figures, QuestionResult] | None,
) -> QuestionResult:
    counts = group.of(question)
    whole_counts = whole[0].of(question) if whole else []
    cells, known = [], []
    for index, option in enumerate(question.options):
        parts = [counts[index], group.size - counts[index]]
        if whole is None:
            hidden = protect(parts, k, zero_shown={1})
        else:
            whole_parts = [whole_counts[index], whole[0].size - whole_counts[index]]
            rest = [w - g for w, g in zip(whole_parts, parts, strict=True)]
            hidden = protect_subgroup(parts, rest, whole[1].known[index], k, zero_shown={1})
        known.append(known_parts(parts, hidden))
        shown = 0 not in hidden
        cells.append(
            Cell(
                option.value,
                option.label,
                counts[index] if shown else None,
                round_percent(counts[index], group.size) if shown else None,
            )
        )
    return QuestionResult(question, tuple(cells), base=group.size, known=tuple(known))


def question_result(
    question: QuestionSpec,
    group: Figures,
    k: int,
    whole: tuple[Figures, QuestionResult] | None = None,
) -> QuestionResult:
    """The protected figures of one closed question for a group of at least k.

    `whole`: for a filtered group, the whole wave's figures and its published result."""
    if question.kind == MULTIPLE:
        return _multiple_result(question, group, k, whole)
    if question.kind in SINGLE_KINDS:
        return _single_result(question, group, k, whole)
    raise ValueError(question.kind)


def group_result(
    questions: Sequence[QuestionSpec],
    group: Figures,
    k: int,
    whole: tuple[Figures, GroupResult] | None = None,
) -> GroupResult:
    """The figures of a group: nothing at all when it has fewer than k respondents, or — for a
    filtered group — when the rest of the wave has 1 … k-1."""
    enough = group.size >= k and (whole is None or is_safe(whole[0].size - group.size, k))
    if whole is not None:
        enough = enough and whole[1].enough
    if not enough:
        return GroupResult(None, tuple(_hidden_result(question) for question in questions))
    results = []
    for question in questions:
        whole_question = None
        if whole is not None:
            whole_result = whole[1].question(question.id)
            if whole_result is None:  # not asked in the whole wave: nothing to compare against
                results.append(_hidden_result(question))
                continue
            whole_question = (whole[0], whole_result)
        results.append(question_result(question, group, k, whole_question))
    return GroupResult(group.size, tuple(results))


def subgroup_allowed(whole: GroupResult, question_id: int, value: str) -> bool:
    """A filter on one answer to a background question may be shown when the whole wave shows
    the count of that answer: then the group has at least k, and by the complementary rule the
    rest of the wave has none or at least k, also when every answer is used as a filter in turn."""
    if not whole.enough:
        return False
    result = whole.question(question_id)
    cell = result.cell(value) if result else None
    return cell is not None and cell.count is not None and cell.count >= 1
