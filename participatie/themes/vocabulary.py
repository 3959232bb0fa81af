"""Which words can carry a theme: used to suggest emerging phrases and to learn indicators.

Function words (the language detector's lists plus the common verbs and adverbs answers are full
of), placeholders from the scrubber such as [naam], numbers and one-letter words cannot.
"""

from __future__ import annotations

from .text.language import word_set

_FUNCTION_NL = word_set(
    """
    de het een en ik je jij u we wij ze zij hij mijn mij me m'n onze ons jouw jullie hun haar zijn
    niet geen nooit niks niets niemand wel ook nog al maar want omdat dat dit deze die wat wie waar
    waarom hoe wanneer toen dan als met voor naar bij uit op aan om tot te zo heel erg echt veel
    weinig meer minder moeten kunnen mogen willen zullen worden hebben zijn gaan komen krijgen
    vinden zeggen doen maken laten staan zitten liggen weten er hier daar nu ooit altijd steeds
    weer keer iets alles allemaal elk elke iedereen ander andere zelf sinds tijdens na zonder tegen
    over onder door gewoon eigenlijk helemaal eens ineens of dus toch even pas al alleen alle
    ja nee misschien beetje echt wel heel hele geen enkel enkele veel vaak soms eerst later
    één eén mee af in van den der des hen hem wie welke welk zich elkaar iemand ieder per via
    """
)
_FUNCTION_EN = word_set(
    """
    the a an and i you he she we they my me our us your their his her its it not no never nothing
    nobody none also still but because that this these those what who where why how when then than
    if with for to from at on about into by of too very really much more less have be do can could
    would should will must may might get just only ever always again every everyone everything
    something anything other another since during after without against under over go come say
    ask tell feel know understand think there here now which whom while so some any many one
    them him it's i'm lot lots thing things way yes make let
    """
)
STOPWORDS = _FUNCTION_NL | _FUNCTION_EN


def is_content_word(lemma: str, lower: str) -> bool:
    """Whether a word (its lemma and lower-case form) may be part of an indicator."""
    if len(lower) < 2 or lower.startswith("[") or not lower[0].isalpha():
        return False
    return lemma not in STOPWORDS and lower not in STOPWORDS
