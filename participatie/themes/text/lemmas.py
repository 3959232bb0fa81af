"""Lemmas for Dutch and English words with simplemma (its dictionaries ship inside the package).

Separable Dutch verbs come back as "terug_bellen"; the underscore is dropped so an indicator is
written as one word ("terugbellen"). A few domain words simplemma gets wrong are fixed here. The
cache is bounded: memory stays flat however many answers pass through.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from .language import word_set

# Particles of Dutch separable verbs ("terug" in "terugbellen"), longest first.
PARTICLES = tuple(
    sorted(
        word_set(
            """
            aan af bij door in kwijt langs mee mis na neer om op over rond samen stil tegen
            tekort terecht terug teleur thuis toe uit vast weg
            """
        ),
        key=len,
        reverse=True,
    )
)
PARTICLE_SET = frozenset(PARTICLES)
# Verbs that look separable but are not ("we overleggen", not "we leggen over").
INSEPARABLE = word_set("overleggen overwegen overtuigen voorkomen omschrijven omvatten overkomen")
_NOT_VERBS = word_set("geen even open tegen binnen buiten boven zeven tien morgen heden")

_OVERRIDES: dict[str, dict[str, str]] = {
    "nl": {
        # chat spelling, common in answers of young people
        "nie": "niet",
        "nx": "niks",
        "gwn": "gewoon",
        "egt": "echt",
        "ech": "echt",
        "mn": "mijn",
        "zn": "zijn",
        "wrm": "waarom",
        "wnr": "wanneer",
        "ff": "even",
        "bellen": "bellen",
        "m'n": "mijn",
        "z'n": "zijn",
        "d'r": "haar",
        "'t": "het",
        "verslagen": "verslag",
        "gesprekken": "gesprek",
        "ots": "ots",
        "gi": "gi",
        "ouders": "ouder",
        "kinderen": "kind",
        "kids": "kind",
        "afspraken": "afspraak",
        "bezoeken": "bezoek",
        "medewerkers": "medewerker",
        "gezinsvoogden": "gezinsvoogd",
        "jeugdbeschermers": "jeugdbeschermer",
        "hulpverleners": "hulpverlener",
        "instanties": "instantie",
        "wachtlijsten": "wachtlijst",
        "rapporten": "rapport",
        "rapportages": "rapportage",
        "brieven": "brief",
        "klachten": "klacht",
        "vragen": "vraag",
        "weken": "week",
        "maanden": "maand",
        "jaren": "jaar",
        "dagen": "dag",
        "keren": "keer",
        "mails": "mail",
        "e-mails": "mail",
        "e-mail": "mail",
        "email": "mail",
        "gemaild": "mailen",
        "teruggebeld": "terugbellen",
        "nagebeld": "nabellen",
        "uithuisplaatsingen": "uithuisplaatsing",
        "thuisgeplaatst": "thuisplaatsen",
        "opgenomen": "opnemen",
        "gehoord": "horen",
        "genomen": "nemen",
        "gezien": "zien",
        "zag": "zien",
        "zagen": "zien",
        "waren": "zijn",
        "was": "zijn",
        "werd": "worden",
        "werden": "worden",
        "wist": "weten",
        "geweten": "weten",
        "wisten": "weten",
        "kwam": "komen",
        "kwamen": "komen",
        "deed": "doen",
        "deden": "doen",
        "belde": "bellen",
        "belden": "bellen",
        "mocht": "mogen",
        "mochten": "mogen",
        "moest": "moeten",
        "moesten": "moeten",
        "kreeg": "krijgen",
        "kregen": "krijgen",
        "ging": "gaan",
        "gingen": "gaan",
        "staat": "staan",
        "stond": "staan",
        "stonden": "staan",
        "bleef": "blijven",
        "bleven": "blijven",
        "hielp": "helpen",
        "hielpen": "helpen",
        "zei": "zeggen",
        "zeiden": "zeggen",
        "vroeg": "vragen",
        "vroegen": "vragen",
        "gevraagd": "vragen",
        "begreep": "begrijpen",
        "begrepen": "begrijpen",
        "luisterde": "luisteren",
        "luisterden": "luisteren",
        "nam": "nemen",
        "namen": "nemen",
        "wachtten": "wachten",
        "wachtte": "wachten",
        "gewacht": "wachten",
        "beter": "beter",
        "slechter": "slecht",
        "meer": "meer",
        "minder": "minder",
        "eerder": "eerder",
        "later": "later",
        "steeds": "steeds",
        "geplaatst": "plaatsen",
        "wisselend": "wisselend",
        "verschillende": "verschillend",
        "vaste": "vast",
        "nieuwe": "nieuw",
        "andere": "ander",
        "zoons": "zoon",
        "dochters": "dochter",
        "pleegouders": "pleegouder",
        "pleeggezinnen": "pleeggezin",
    },
    "en": {
        "n't": "not",
        # contractions typed without the apostrophe
        "dont": "not",
        "didnt": "not",
        "doesnt": "not",
        "cant": "not",
        "couldnt": "not",
        "wont": "not",
        "wouldnt": "not",
        "isnt": "not",
        "wasnt": "not",
        "werent": "not",
        "arent": "not",
        "havent": "not",
        "hasnt": "not",
        "hadnt": "not",
        "im": "be",
        "ive": "have",
        "best": "best",
        "'m": "be",
        "'re": "be",
        "'ve": "have",
        "'ll": "will",
        "'d": "would",
        "kids": "child",
        "children": "child",
        "emails": "email",
        "e-mails": "email",
        "e-mail": "email",
        "phoned": "phone",
        "better": "better",
        "worse": "bad",
        "left": "leave",
        "felt": "feel",
        "kept": "keep",
        "thought": "think",
        "cancelled": "cancel",
        "taken": "take",
        "took": "take",
        "seen": "see",
        "saw": "see",
        "heard": "hear",
        "told": "tell",
        "was": "be",
        "were": "be",
        "gone": "go",
        "went": "go",
        "foster": "foster",
        "visiting": "visit",
        "waiting": "wait",
        "meeting": "meeting",
        "meetings": "meeting",
        "reports": "report",
        "reporting": "report",
        "ots": "ots",
        "gi": "gi",
    },
}


@lru_cache(maxsize=100_000)
def lemma(word: str, lang: str) -> str:
    """The lower-case lemma of one word in 'nl' or 'en'; other tokens come back lower-cased."""
    lower = word.lower()
    override = _OVERRIDES.get(lang, {}).get(lower)
    if override is not None:
        return override
    if not lower[:1].isalpha() or lower.startswith("["):
        return lower
    return simplemma.lemmatize(lower, lang=lang).lower().replace("_", "")


@lru_cache(maxsize=100_000)
def is_known_word(word: str) -> bool:
    """Whether a lower-case word is in simplemma's Dutch or English dictionary."""
    return simplemma.is_known(word, lang="nl") or simplemma.is_known(word, lang="en")


@lru_cache(maxsize=10_000)
def is_dutch_word(word: str) -> bool:
    """Whether a lower-case word is in simplemma's Dutch dictionary."""
    return simplemma.is_known(word, lang="nl")


def is_infinitive(word: str) -> bool:
    """Whether a Dutch lemma looks like an infinitive ("bellen", "gaan")."""
    return len(word) >= 4 and word.endswith("en") and word not in _NOT_VERBS


@lru_cache(maxsize=10_000)
def split_separable(word: str) -> tuple[str, str] | None:
    """("terug", "bellen") for "terugbellen"; None for a word that is not a separable verb."""
    if word in INSEPARABLE:
        return None
    for particle in PARTICLES:
        rest = word[len(particle) :]
        if word.startswith(particle) and is_infinitive(rest) and is_dutch_word(rest):
            return particle, rest
    return None


@lru_cache(maxsize=10_000)
def joined_verb(particle: str, verb_lemma: str) -> str | None:
    """The separable verb of "uit te leggen" ("uitleggen"), when Dutch knows it."""
    if particle not in PARTICLE_SET or not is_infinitive(verb_lemma):
        return None
    compound = particle + verb_lemma
    return compound if compound not in INSEPARABLE and is_dutch_word(compound) else None
