"""Language detection per answer, offline: counts distinctive Dutch and English function words.

Answers are short and informal, often with Dutch institution names inside English sentences
("the wijkteam"). Function words (articles, pronouns, auxiliaries, negations) decide it well and
cost one set look-up per word; no model or data file is needed.
"""

from __future__ import annotations

from collections.abc import Iterable

SUPPORTED_LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a multi-line literal, as a set."""
    return frozenset(text.split())


_DUTCH = word_set(
    """
    de het een en ik je jij u we wij ze zij hij mijn mij me m'n onze ons jouw jullie hun haar zijn
    niet geen nooit niks niets niemand wel ook nog al maar want omdat dat dit deze die wat wie waar
    waarom hoe wanneer toen dan als met voor naar bij uit op aan om tot te zo heel erg echt veel
    weinig meer minder moest moet moeten kon kan kunnen mocht mag mogen wilde wil willen zou zouden
    werd wordt worden ben bent heb hebt heeft hebben hadden waren geweest gehad gedaan
    er hier daar nu ooit altijd steeds weer keer iets alles allemaal elke elk iedereen andere
    ze zelf sinds tijdens na zonder tegen over onder door ging gaat kwam komt kreeg krijg kregen
    vond vind gezegd gevraagd weet wist snap begrijp zeggen gewoon eigenlijk helemaal eens ineens
    nie gwn mn egt nx wrm
    """
)

_ENGLISH = word_set(
    """
    the a an and i you he she we they my me our us your their his her its it not no never nothing
    nobody none also still but because that this these those what who where why how when then than
    if with for to from at on about into by of too very really much more less had has have having
    were been being are am be do does did done don't didn't doesn't can could would should
    will won't can't must may might got get gets getting just only ever always again every everyone
    everything something anything other another since during after without against under over went
    came said asked told felt feel knew know understand think thought nice good bad our there here
    now which whom while so some any many
    dont didnt doesnt cant wont isnt wasnt havent im ive
    """
)

# Words in both lists say nothing.
_SHARED = _DUTCH & _ENGLISH
DUTCH_WORDS = _DUTCH - _SHARED
ENGLISH_WORDS = _ENGLISH - _SHARED


def detect_language(words: Iterable[str], hint: str | None = None) -> str:
    """'nl' or 'en' for a sequence of (any case) words; `hint` (e.g. the survey's language)
    decides a tie, then Dutch, the language of the region."""
    dutch = english = 0
    for word in words:
        lower = word.lower()
        if lower in DUTCH_WORDS:
            dutch += 1
        elif lower in ENGLISH_WORDS:
            english += 1
    if dutch > english:
        return "nl"
    if english > dutch:
        return "en"
    return hint if hint in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
