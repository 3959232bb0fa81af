"""Indicator patterns over lemmas: words, word parts, phrases with gaps, co-occurrence.

The syntax, used by the codebook's indicators and the sentiment lexicons:

- `wachtlijst`: a word whose lemma (or lower-case form) is "wachtlijst";
- `bezoek*`, `*voogd`, `*wacht*`: lemmas starting with, ending in, containing — Dutch compounds
  ("bezoekregeling", "gezinsvoogd", "jeugdzorgwachtlijst");
- `kind|zoon|dochter`: any of these;
- `op de hoogte`: consecutive words; `bellen ... terug`: up to four words may stand between;
- `kind|zoon & zien|bellen`: both in the same sentence, in any order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from .analysis import Analysis

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
        return len(self.parts) == 1 and sum(e is not None for e in self.parts[0]) > 1

    @property
    def first(self) -> Element:
        element = self.parts[0][0]
        if element is None:  # parse() never starts a sequence with a gap
            raise ValueError(f"pattern starts with a gap: {self.source!r}")
        return element

    @property
    def size(self) -> int:
        return sum(e is not None for part in self.parts for e in part)


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

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self.entries: list[tuple[Pattern, T]] = [
            (Pattern.parse(source), value) for source, value in entries
        ]
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
        for start in range(len(analysis)):
            for number in self._candidates(analysis.lemmas[start], analysis.lower[start]):
                if any(present.isdisjoint(words) for words in self._needs[number]):
                    continue
                pattern, value = self.entries[number]
                positions = _match_sequence(pattern.parts[0], analysis, start)
                if positions is None:
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
