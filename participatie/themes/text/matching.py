"""Indicator patterns over lemmas: words, word parts, phrases with gaps, co-occurrence.

The syntax, used by the codebook's indicators and the sentiment lexicons:

- `wachtlijst`: a word whose lemma (or lower-case form) is "wachtlijst";
- `bezoek*`, `*voogd`, `*wacht*`: lemmas starting with, ending in, containing — Dutch compounds
  ("bezoekregeling", "gezinsvoogd", "jeugdzorgwachtlijst");
- `kind|zoon|dochter`: any of these;
- `op de hoogte`: consecutive words; `bellen ... terug`: up to four words may stand between;
- `kind|zoon & zien|bellen`: both in the same sentence, in any order.

Dutch word order is handled here, so an indicator is written once, in its dictionary form
(`PatternIndex(..., language="nl")`):

- a separable verb also matches split ("terugbellen": "ze belde me nooit terug"): the particle
  has to close the clause, as it does in a Dutch main clause ("om terug te bellen" is joined
  into one lemma by `analysis.py`);
- a phrase that ends in an infinitive also matches with that verb in second place, as in a main
  clause ("serieus nemen": "ze namen mij serieus"; "op de hoogte houden": "ze hielden me op de
  hoogte"). Questions and subordinate clauses ("wat ... verwachten") keep the verb last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from .analysis import Analysis
from .language import word_set
from .lemmas import is_infinitive, split_separable

T = TypeVar("T")

GAP = "..."
MAX_GAP = 4
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Element:
    """One word position: alternatives, each exact or with * at either end."""

    exact: frozenset[str]
    wildcard: re.Pattern[str] | None  # the * alternatives as one compiled expression

    @classmethod
    def parse(cls, source: str) -> Element:
        exact: set[str] = set()
        wildcards: list[str] = []
        for option in source.lower().split("|"):
            if option.startswith("*") and option.endswith("*") and len(option) > 2:
                wildcards.append(re.escape(option[1:-1]))
            elif option.endswith("*"):
                wildcards.append("^" + re.escape(option[:-1]))
            elif option.startswith("*"):
                wildcards.append(re.escape(option[1:]) + "$")
            else:
                exact.add(option)
        wildcard = re.compile("|".join(wildcards)) if wildcards else None
        return cls(frozenset(exact), wildcard)

    @property
    def is_exact(self) -> bool:
        return self.wildcard is None

    def matches(self, lemma: str, lower: str) -> bool:
        if lemma in self.exact or lower in self.exact:
            return True
        if self.wildcard is None:
            return False
        search = self.wildcard.search
        return search(lemma) is not None or (lower != lemma and search(lower) is not None)


Sequence = tuple[Element | None, ...]  # None stands for a gap


@dataclass(frozen=True)
class Pattern:
    source: str
    parts: tuple[Sequence, ...]  # one sequence, or several that must share a sentence
    # A split separable verb ("belde … terug"): one word for claims and sizes, and its last
    # element (the particle) must close the clause.
    separable: bool = False

    @classmethod
    def parse(cls, source: str) -> Pattern:
        parts = []
        for part in source.split("&"):
            sequence: list[Element | None] = []
            for word in part.split():
                if word == GAP:
                    if sequence and sequence[-1] is not None:
                        sequence.append(None)
                else:
                    sequence.append(Element.parse(word))
            while sequence and sequence[-1] is None:
                sequence.pop()
            if not sequence:
                raise ValueError(f"empty indicator pattern: {source!r}")
            parts.append(tuple(sequence))
        return cls(source, tuple(parts))

    @property
    def is_phrase(self) -> bool:
        """A multi-word sequence: it claims its words, so single-word indicators of other
        themes do not count them again."""
        if self.separable:
            return False
        return len(self.parts) == 1 and sum(e is not None for e in self.parts[0]) > 1

    @property
    def first(self) -> Element:
        element = self.parts[0][0]
        if element is None:  # parse() never starts a sequence with a gap
            raise ValueError(f"pattern starts with a gap: {self.source!r}")
        return element

    @property
    def size(self) -> int:
        if self.separable:
            return 1
        return sum(e is not None for part in self.parts for e in part)


# --- Dutch word order -----------------------------------------------------------------------

# After a closing particle a prepositional phrase or a new clause may follow
# ("ze nam hem mee naar huis", "ze belde terug toen …").
_AFTER_PARTICLE = word_set(
    """
    naar met bij van voor aan in op om over uit tot te en of dan want maar omdat toen als
    zodat hoor
    """
)
# Subordinate clauses and questions keep the verb last: no verb-second variant for them.
_VERB_LAST = word_set(
    """
    dat die wat wie waar waarom hoe wanneer welke welk omdat als zodat toen terwijl zonder of
    nadat voordat tot totdat hoewel doordat
    """
)


def closes_clause(analysis: Analysis, position: int) -> bool:
    """Whether the word at `position` ends its clause, or only a prepositional phrase or a new
    clause follows it: where a Dutch main clause puts a separable verb's particle."""
    following = position + 1
    return (
        following >= len(analysis)
        or analysis.clause[following] != analysis.clause[position]
        or analysis.lower[following] in _AFTER_PARTICLE
    )


def _single(word: str) -> Element:
    return Element(frozenset({word}), None)


def dutch_variants(pattern: Pattern) -> list[Pattern]:
    """The other Dutch word orders of a pattern (see the module docstring)."""
    if len(pattern.parts) != 1:
        return []
    sequence = pattern.parts[0]
    elements = [element for element in sequence if element is not None]
    variants: list[Pattern] = []
    if len(elements) == 1 and elements[0].is_exact:
        for word in sorted(elements[0].exact):
            split = split_separable(word)
            if split is None:
                continue
            particle, verb = split
            variants.append(
                replace(pattern, parts=((_single(verb), None, _single(particle)),), separable=True)
            )
        return variants
    last = sequence[-1]
    if (
        len(elements) >= 2
        and last is not None
        and last.is_exact
        and all(is_infinitive(word) for word in last.exact)
        and elements[-2].exact != {"te"}
        and not any(element.exact & _VERB_LAST for element in elements)
    ):
        rest = list(sequence[:-1])
        while rest and rest[-1] is None:
            rest.pop()
        variants.append(replace(pattern, parts=((last, None, *rest),)))
    return variants


@dataclass(frozen=True)
class Hit(Generic[T]):
    pattern: Pattern
    value: T
    positions: tuple[int, ...]

    @property
    def start(self) -> int:
        return min(self.positions)

    @property
    def end(self) -> int:
        return max(self.positions) + 1

    def evidence(self, analysis: Analysis) -> str:
        words = [analysis.words[position] for position in sorted(self.positions)]
        if self.pattern.is_phrase and self.end - self.start == len(words):
            return " ".join(words)
        return " … ".join(words) if len(words) > 1 else words[0]


def _separable_holds(analysis: Analysis, positions: tuple[int, ...]) -> bool:
    first, last = positions[0], positions[-1]
    return analysis.clause[first] == analysis.clause[last] and closes_clause(analysis, last)


def _match_sequence(
    sequence: Sequence, analysis: Analysis, start: int, taken: frozenset[int] = frozenset()
) -> tuple[int, ...] | None:
    lemmas, lower, sentence = analysis.lemmas, analysis.lower, analysis.sentence
    size = len(lemmas)
    number = sentence[start]
    positions: list[int] = []
    position = start
    gap = 0
    for element in sequence:
        if element is None:
            gap = MAX_GAP
            continue
        found = None
        for index in range(position, min(position + gap + 1, size)):
            if sentence[index] != number:
                break
            if index not in taken and element.matches(lemmas[index], lower[index]):
                found = index
                break
        if found is None:
            return None
        positions.append(found)
        position = found + 1
        gap = 0
    return tuple(positions)


class PatternIndex(Generic[T]):
    """Finds every pattern of a collection in an analysed text, quickly: patterns are indexed by
    their first word, and candidates per distinct lemma are cached (bounded)."""

    def __init__(self, entries: Iterable[tuple[str, T]], *, language: str | None = None) -> None:
        self.entries: list[tuple[Pattern, T]] = []
        for source, value in entries:
            pattern = Pattern.parse(source)
            self.entries.append((pattern, value))
            if language == "nl":
                self.entries.extend((variant, value) for variant in dutch_variants(pattern))
        self._by_word: dict[str, list[int]] = {}
        self._wildcard_first: list[int] = []
        for number, (pattern, _value) in enumerate(self.entries):
            first = pattern.first
            if first.is_exact:
                for word in first.exact:
                    self._by_word.setdefault(word, []).append(number)
            else:
                self._wildcard_first.append(number)
                for word in first.exact:
                    self._by_word.setdefault(word, []).append(number)
        self._cache: dict[tuple[str, str], tuple[int, ...]] = {}
        # The exact words every pattern needs besides its first: a pattern whose words are not
        # all in the answer is skipped without trying to match it.
        self._needs: list[tuple[frozenset[str], ...]] = [
            tuple(
                element.exact
                for part_number, part in enumerate(pattern.parts)
                for index, element in enumerate(part)
                if element is not None and element.is_exact and (part_number, index) != (0, 0)
            )
            for pattern, _value in self.entries
        ]
        self._single: list[bool] = [
            len(pattern.parts) == 1 and len(pattern.parts[0]) == 1 and not pattern.separable
            for pattern, _value in self.entries
        ]

    def _candidates(self, lemma: str, lower: str) -> tuple[int, ...]:
        key = (lemma, lower)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        numbers = set(self._by_word.get(lemma, ())) | set(self._by_word.get(lower, ()))
        for number in self._wildcard_first:
            if self.entries[number][0].first.matches(lemma, lower):
                numbers.add(number)
        result = tuple(sorted(numbers))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def find(self, analysis: Analysis) -> list[Hit[T]]:
        hits: list[Hit[T]] = []
        present = set(analysis.lemmas)
        present.update(analysis.lower)
        needs, single, entries = self._needs, self._single, self.entries
        possible: dict[int, bool] = {}  # per pattern: are all the words it needs in the answer
        for start in range(len(analysis)):
            for number in self._candidates(analysis.lemmas[start], analysis.lower[start]):
                if single[number]:  # one word, and the candidates already matched it
                    pattern, value = entries[number]
                    hits.append(Hit(pattern, value, (start,)))
                    continue
                ok = possible.get(number)
                if ok is None:
                    ok = True
                    for words in needs[number]:
                        if present.isdisjoint(words):
                            ok = False
                            break
                    possible[number] = ok
                if not ok:
                    continue
                pattern, value = entries[number]
                positions = _match_sequence(pattern.parts[0], analysis, start)
                if positions is None:
                    continue
                if pattern.separable and not _separable_holds(analysis, positions):
                    continue
                if len(pattern.parts) > 1:
                    positions = self._match_others(pattern, analysis, positions)
                    if positions is None:
                        continue
                hits.append(Hit(pattern, value, positions))
        return hits

    @staticmethod
    def _match_others(
        pattern: Pattern, analysis: Analysis, first: tuple[int, ...]
    ) -> tuple[int, ...] | None:
        number = analysis.sentence[first[0]]
        positions = list(first)
        for sequence in pattern.parts[1:]:
            taken = frozenset(positions)
            found = None
            for index in range(len(analysis)):
                if analysis.sentence[index] != number:
                    continue
                found = _match_sequence(sequence, analysis, index, taken)
                if found is not None:
                    break
            if found is None:
                return None
            positions.extend(found)
        return tuple(positions)
