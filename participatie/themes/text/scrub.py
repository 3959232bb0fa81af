"""The scrubber: the one place that removes personal data from free text (DESIGN invariant 3).

`scrub(text)` replaces names of people, e-mail addresses, phone numbers, postcodes, street
addresses and case or file numbers by placeholders before any answer is stored, analysed or shown
to anyone but the respondent. Placeholders are Dutch whatever the answer's language (`[naam]`,
`[e-mail]`, `[telefoon]`, `[postcode]`, `[adres]`, `[dossiernummer]`): stored text stays uniform,
and staff read the placeholders in either interface language.

It errs on the side of privacy: an unknown capitalised word in the middle of a sentence is taken
for a name. Names of the chain's organisations and the region's places are kept. Answers in the
other survey languages get the same rules in their alphabets (Turkish, Polish, Somali, Cyrillic
letters; titles and relation words of those languages); Arabic and Ge'ez script have no
capitals, so there a name is found after a title or relation word, or when it is listed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import simplemma

from .language import DUTCH_WORDS, ENGLISH_WORDS, word_set
from .lemmas import is_known_word

DATA = Path(__file__).parent / "data"


class Kind(enum.StrEnum):
    """A kind of personal data; the value is the word inside its placeholder."""

    NAME = "naam"
    EMAIL = "e-mail"
    PHONE = "telefoon"
    POSTCODE = "postcode"
    ADDRESS = "adres"
    CASE_NUMBER = "dossiernummer"

    @property
    def placeholder(self) -> str:
        return f"[{self.value}]"


@dataclass(frozen=True)
class ScrubResult:
    text: str
    found_kinds: frozenset[Kind]


def _words(filename: str) -> frozenset[str]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(
        word for line in lines if not line.startswith("#") for word in line.split() if word
    )


@cache
def first_names() -> frozenset[str]:
    return frozenset(name.lower() for name in _words("first_names.txt"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(name.lower() for name in _words("surnames.txt"))


# Capitalised words that are not people: the chain, places of the region, common proper nouns.
KEEP = word_set(
    """
    veilig thuis save samen midden-nederland gi wijkteam wijkteams swa sociale bsa jeugdhulp raad
    kinderbescherming rvdk gemeente amersfoort baarn bunschoten spakenburg eemnes leusden soest
    woudenberg utrecht nederland holland jeugdzorg jeugdbescherming rechtbank kinderrechter
    rechter politie ggz ggd akj kindertelefoon centrum jeugd gezin cjg ots uhp lvb adhd add
    autisme covid corona whatsapp facebook instagram google teams zoom skype pleegzorg
    william schrikker leger heils altrecht karakter lijn5 timon pluryn levvel kwintes youké youke
    accare entrea intermetzo yorneo jeugdformaat lindenhout elker spirit parlan horizon vitree
    fier kompaan juvent sterk huis youz lucertis ambulante coach
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei
    juni juli augustus september oktober november december kerst pasen ramadan suikerfeest
    monday tuesday wednesday thursday friday saturday sunday january february march
    august october christmas easter
    nederlands engels arabisch turks pools marokkaans surinaams dutch english arabic turkish
    polish moroccan i ok oké
    """
)

# Words before a name: titles and forms of address.
_HONORIFIC = (
    r"(?:mevrouw|mevr\.?|mw\.?|mvr\.?|meneer|mijnheer|mnr\.?|dhr\.?|de\s+heer|juffrouw|juf|"
    r"meester|mr\.?|mrs\.?|ms\.?|miss|mister|dr\.?|dokter|doctor|prof\.?|sir|madam|"
    # Turkish, Polish, Ukrainian, Somali
    r"bay|bayan|sayın|pan|pani|panią|panem|pana|panu|пан|пані|пана|пане|mudane|marwo)"
)
# Family members, professionals and other people named by their relation to the writer.
_RELATION = (
    r"(?:zoon(?:tje)?|dochter(?:tje)?|kind(?:je)?|broer(?:tje)?|zus(?:je)?|zuster|vader|moeder|"
    r"papa|mama|man|vrouw|echtgeno(?:ot|te)|partner|ex(?:-partner|-man|-vrouw)?|vriend(?:in)?|"
    r"opa|oma|neef(?:je)?|nicht(?:je)?|oom|tante|stief(?:vader|moeder|zoon|dochter)|"
    r"pleeg(?:vader|moeder|ouders?|zoon|dochter|kind)|jongste|oudste|middelste|baby|"
    r"gezinsvoogd|voogd|jeugdbeschermer|jeugdzorgwerker|hulpverlener|hulpverleenster|"
    r"begeleid(?:er|ster)|mentor|coach|gezinscoach|casemanager|contactpersoon|consulent|"
    r"therapeut|psycholoog|psychiater|advocaat|advocate|rechter|kinderrechter|ambassadeur|"
    r"cliëntondersteuner|clientondersteuner|wijkcoach|collega|buurvrouw|buurman|"
    r"son|daughter|child|kid|boy|girl|baby|brother|sister|father|mother|dad|daddy|mum|mom|"
    r"husband|wife|boyfriend|girlfriend|fianc[eé]e?|grandma|grandpa|granddad|grandmother|"
    r"grandfather|uncle|aunt|cousin|nephew|niece|guardian|caseworker|case\s+worker|"
    r"social\s+worker|worker|counsell?or|therapist|psychologist|lawyer|solicitor|judge|"
    r"youngest|eldest|oldest|neighbour|neighbor|colleague|teacher|"
    # Turkish, Polish, Ukrainian, Somali: "oğlum Emre", "syn Łukasz", "син Андрій"
    r"oğlum|kızım|eşim|kocam|karım|annem|babam|kardeşim|ablam|abim|"
    r"syn|syna|synem|córka|córkę|córką|mąż|męża|żona|żony|"
    r"син|сина|сином|донька|доньку|дочка|дочку|чоловік|дружина|"
    r"wiilkayga|gabadhayda|ninkayga|xaaskayga)"
)
_TUSSENVOEGSEL = r"(?i:van|de|der|den|ten|ter|te|het|'t|in\s+'t|op\s+de|von|du|di|da|el|al|la|le)"


def _letters(test: Callable[[str], bool]) -> str:
    """The letters of the Latin (with Turkish, Polish, Somali …) and Cyrillic alphabets for which
    `test` holds, as the inside of a regular-expression class."""
    ranges = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x400, 0x52F))
    return "".join(chr(c) for start, end in ranges for c in range(start, end + 1) if test(chr(c)))


_UPPER = _letters(str.isupper)
_LOWER = _letters(str.islower)
_CAPITALISED = rf"[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}'’]+)?"
_INITIALS = r"(?:[A-Z]\.\s?){1,4}"
_ANY_WORD = rf"[{_UPPER}{_LOWER}][{_LOWER}'’]+(?:-[{_UPPER}{_LOWER}][{_LOWER}'’]+)?"
# Dutch and English are written in these letters; an unknown word in them after "mijn zoon" is
# taken for a name, in other alphabets only a capitalised or listed one (every word of a
# Turkish or Ukrainian answer is unknown to the Dutch and English dictionaries).
_DICTIONARY_LETTERS = re.compile(r"[a-zà-öø-ÿ'’-]+")

_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # written out to dodge spam filters: jan (at) gmail (dot) com, jan apenstaartje ziggo punt nl
    r"|[\w.+-]+\s?(?:\(at\)|\[at\]|\sapenstaartje\s)\s?[\w-]+"
    r"(?:\s?(?:\.|\(dot\)|\[dot\]|\spunt\s|\sdot\s)\s?[\w-]+)+",
    re.IGNORECASE,
)
_EMAIL_HINTS = ("@", "(at)", "[at]", "apenstaartje")
_PHONE = re.compile(
    r"(?<![\w+/])(?:"
    # international: +31 6 12345678, +31 (0)6-1234 5678, 0031 33 123 4567, +44 20 7946 0958
    r"(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\(0\))?(?:[\s.-]?\d){7,11}"
    # national: 06-12345678, 033-1234567, (033) 123 45 67, 0612345678; UK 07700 900123
    r"|\(0\d{2,3}\)\s?(?:[\s.-]?\d){6,7}"
    r"|0(?:[\s.-]?\d){9,10}"
    # North American: (555) 123-4567, 555-123-4567
    r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}"
    r")(?![\w/-])"
)
_POSTCODE = re.compile(
    r"\b(?:[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}|[1-9]\d{3}[a-z]{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b"
)
_STREET_SUFFIX = (
    r"(?:straat|straatweg|laan|weg|plein|gracht|kade|dijk|singel|steeg|pad|park|dreef|hof|markt|"
    r"baan|ring|wal|plantsoen|erf|boulevard|allee|kwartier|brink)"
)
_HOUSE_NUMBER = r"\d{1,4}(?:\s?[a-zA-Z]\b|-\d{1,4}[a-zA-Z]?|\s(?:bis|hs|huis|I{1,3})\b)?"
_STREET_PREFIX = (
    r"(?:(?:Lange|Korte|Oude|Nieuwe|Grote|Kleine|Hoge|Lage|Prins|Prinses|Koning|Koningin|"
    r"Burgemeester|Dokter|Generaal|Sint|Kapitein|Professor|Pastoor|Van|De|Den|Der|Het)\s+"
    r"(?:(?:van|de|der|den|het)\s+)*)?"
)
_ADDRESS = re.compile(
    # Dutch: Stationsstraat 12, Kerkweg 3a, Utrechtseweg 12-14, Burgemeester de Beaufortweg 16
    rf"\b{_STREET_PREFIX}[A-Z][\w'-]*{_STREET_SUFFIX}\s+{_HOUSE_NUMBER}(?![\w-])"
    # English: 12 Baker Street, 221B Baker St., Flat 3, 12 High Road
    r"|\b(?:(?:Flat|Apartment|Apt\.?|Unit)\s+\d{1,4}[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    r"(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|"
    r"Way|Close|Court|Ct\.?|Place|Pl\.?|Square|Sq\.?|Crescent|Terrace|Gardens|Boulevard|Grove|"
    r"Row|Hill|Mews)(?![\w])"
    r"|\b(?:Flat|Apartment|Apt\.?|Unit)\s+\d{1,4}[A-Za-z]?\b"
)
# A street name without a number, after "aan de", "in de", "op de": "we woonden aan de Kerkweg".
_STREET_NAME = re.compile(
    rf"\b(?P<before>(?i:in|aan|op|naar|bij|uit|vanaf)\s+(?i:de|het)\s+|(?i:on|in|at)\s+)"
    rf"{_STREET_PREFIX}[A-Z][\w'-]{{2,}}{_STREET_SUFFIX}\b"
)
_CASE_KEYWORD = (
    r"(?:dossier|zaak|kenmerk|referentie|registratie|cli[eë]nt|klant|melding|rol|rekest|parket|"
    r"bsn|burgerservice|case|file|reference|ref|record|client|claim|docket|ticket)"
)
_CASE_CODE = r"(?:[A-Z]{1,5}[-/ ]?)?\d[\d/.-]*[\dA-Za-z]|\d"
_CASE_NUMBER = re.compile(
    rf"\b{_CASE_KEYWORD}(?P<suffix>[\s-]*(?:nummer|number|nr|no|num|id)\b)?\.?\s*[:#]?\s*"
    rf"(?P<joined>(?:is|was|=|:)\s+)?(?P<code>{_CASE_CODE})(?![\w])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_CODE_LIKE = re.compile(r"\b[A-Z]{1,4}-?\d{4,}(?:[-/]\d+)*\b")
_LONG_NUMBER = re.compile(r"(?<![\w€$£.,/-])\d(?:[\d/-]*\d)?(?![\w/-])")
_DATE_OR_YEARS = re.compile(
    r"\d{1,2}[-/]\d{1,2}[-/]\d{2,4}|\d{4}[-/]\d{1,2}[-/]\d{1,2}|(?:19|20)\d\d[-/](?:19|20)?\d\d"
)
_DIGIT = re.compile(r"\d")

_HONORIFIC_NAME = re.compile(
    rf"\b(?i:{_HONORIFIC})\s+(?P<name>(?:{_INITIALS})?(?:{_TUSSENVOEGSEL}\s+)*{_ANY_WORD}"
    rf"(?:\s+(?:{_TUSSENVOEGSEL}\s+)*{_CAPITALISED})*)"
)
_RELATION_NAME = re.compile(
    rf"\b(?i:{_RELATION})(?:\s*,)?\s+(?P<name>{_ANY_WORD}"
    rf"(?:\s+(?:{_TUSSENVOEGSEL}\s+)*{_CAPITALISED})*)"
)
_CUE_NAME = re.compile(
    rf"\b(?i:heet|heette|heten|genaamd|genoemd|named|called|mijn\s+naam\s+is|my\s+name\s+is|"
    rf"naam\s*:|name\s*:|ik\s+ben|i\s+am|i'm|"
    rf"adım|adı|nazywa(?:m)?\s+się|mam\s+na\s+imię|звати|звуть)\s+"
    rf"(?P<name>{_CAPITALISED}(?:\s+(?:{_TUSSENVOEGSEL}\s+)*{_CAPITALISED})*)"
)
# Words one of which must be in the text before the slower title, relation and cue
# expressions are tried at all (most answers have none).
_HONORIFIC_WORDS = word_set(
    """
    mevrouw mevr mw mvr meneer mijnheer mnr dhr heer juffrouw juf meester mr mrs ms miss mister
    dr dokter doctor prof sir madam bay bayan sayın pan pani panią panem pana panu пан пані пана
    пане mudane marwo
    """
)
_RELATION_WORDS = word_set(
    """
    zoon zoontje dochter dochtertje kind kindje broer broertje zus zusje zuster vader moeder papa
    mama man vrouw echtgenoot echtgenote partner ex ex-partner ex-man ex-vrouw vriend vriendin opa
    oma neef neefje nicht nichtje oom tante stiefvader stiefmoeder stiefzoon stiefdochter
    pleegvader pleegmoeder pleegouder pleegouders pleegzoon pleegdochter pleegkind jongste oudste
    middelste baby gezinsvoogd voogd jeugdbeschermer jeugdzorgwerker hulpverlener hulpverleenster
    begeleider begeleidster mentor coach gezinscoach casemanager contactpersoon consulent therapeut
    psycholoog psychiater advocaat advocate rechter kinderrechter ambassadeur cliëntondersteuner
    clientondersteuner wijkcoach collega buurvrouw buurman son daughter child kid boy girl brother
    sister father mother dad daddy mum mom husband wife boyfriend girlfriend fiance fiancee fiancé
    fiancée grandma grandpa granddad grandmother grandfather uncle aunt cousin nephew niece
    guardian caseworker case worker social counsellor counselor therapist psychologist lawyer
    solicitor judge youngest eldest oldest neighbour neighbor colleague teacher oğlum kızım eşim
    kocam karım annem babam kardeşim ablam abim syn syna synem córka córkę córką mąż męża żona
    żony син сина сином донька доньку дочка дочку чоловік дружина wiilkayga gabadhayda ninkayga
    xaaskayga
    """
)
_CUE_WORDS = word_set(
    "heet heette heten genaamd genoemd named called naam name ben am i'm adım adı nazywa nazywam "
    "imię звати звуть"
)
# Turkish puts the title after the name: "Ayşe Hanım", "Mehmet Bey".
_NAME_BEFORE_TITLE = re.compile(
    rf"(?<![\w\[-])(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)(?=\s+(?i:hanım|hanim|bey|"
    rf"hanımefendi|beyefendi|hoca)\b)"
)
# Arabic and Ge'ez (Tigrinya) script have no capitals: a name is found after a title, a
# relation word or "my name is", or when it is a listed name.
_CASELESS_SCRIPT = re.compile(r"[\u0600-\u06ff\u1200-\u137f]")
_CASELESS_WORD = r"[\u0620-\u064a\u0660-\u0669\u066e-\u06d3\u06fa-\u06ff\u1200-\u135a/]+"
_CASELESS_CUE = re.compile(
    r"(?<![\u0600-\u06ff\u1200-\u137f])(?P<cue>(?:و)?(?:السيد|السيدة|الآنسة|الأستاذ|الأستاذة|"
    r"الاستاذ|الاستاذة|الدكتور|الدكتورة|الشيخ|ابني|ابنتي|بنتي|ولدي|طفلي|طفلتي|زوجي|زوجتي|أخي|"
    r"أختي|اخي|اختي|اسمي|اسمه|اسمها|يدعى|تدعى)|ኣቶ|አቶ|ወይዘሮ|ወ/ሮ|ወይዘሪት|ዶክተር)\s+"
    rf"(?P<name>{_CASELESS_WORD})(?:\s+(?P<family>ال{_CASELESS_WORD}))?"
)
_CASELESS_WORDS = re.compile(_CASELESS_WORD)
_LOWER_WORDS = re.compile(rf"[{_LOWER}'’-]+")
_CAPITALISED_WORD = re.compile(rf"(?<![\w\[-]){_CAPITALISED}(?![\w\]])")
_LOWERCASE_WORD = re.compile(rf"(?<![\w\[-])[{_LOWER}]{{3,}}(?![\w\]])")
_AFTER_NAME = re.compile(rf"\[naam\]\s+(?:{_TUSSENVOEGSEL}\s+)*(?P<word>{_CAPITALISED})(?![\w\]])")
_MERGE_NAMES = re.compile(r"\[naam\](?:\s*-\s*|\s+(?:(?:van|de|der|den)\s+)*)\[naam\]")
_SENTENCE_START = re.compile(r"(?:[.!?…:;\n\"“(]|[-–•*]\s)\s*$")
_WORD_IN_NAME = re.compile(r"\S+")
_COMPOUND_ENDINGS = (
    "zorg",
    "hulp",
    "team",
    "teams",
    "raad",
    "huis",
    "school",
    "ing",
    "heid",
    "schap",
    "teit",
    "instelling",
    "organisatie",
)

# First names that are also ordinary words: at the start of a sentence they are left alone.
AMBIGUOUS_NAMES = word_set(
    """
    ben bas bo bob cor dean floor frank grace hope iris jade jack jet joy lea mark max may mees
    rob roos rose ruby sky ton will art bill amber isa sem tim kim
    """
)


def _is_common_word(word: str) -> bool:
    lower = word.lower()
    return lower in DUTCH_WORDS or lower in ENGLISH_WORDS or lower in KEEP


def _is_listed_name(lower: str) -> bool:
    return lower in first_names() or lower in surnames()


def _name_in_context(word: str) -> bool:
    """After a title or a relation word ("mevrouw bakker", "mijn zoon daan"), any word that is
    no common word counts, and lower-case ones when they are listed names or unknown words."""
    lower = word.lower().strip("'’")
    if len(lower) < 2 or _is_common_word(word) or word.isupper():
        return False
    if re.fullmatch(_HONORIFIC, word, re.IGNORECASE):
        return False  # "her guardian, Ms Okafor": the title pass handles the name
    if _is_listed_name(lower.split("-")[0]) or word[0].isupper():
        return True
    return _DICTIONARY_LETTERS.fullmatch(lower) is not None and not is_known_word(lower)


def _is_tussenvoegsel(word: str) -> bool:
    return re.fullmatch(_TUSSENVOEGSEL, word) is not None


def _name_end(name: str) -> int:
    """How much of a matched name to replace: up to its first real word, then any further
    capitalised words (with tussenvoegsels between) that are not places or organisations."""
    words = list(_WORD_IN_NAME.finditer(name))
    index = 0
    while index < len(words) - 1 and _is_tussenvoegsel(words[index].group()):
        index += 1
    end = words[index].end()
    index += 1
    while index < len(words):
        look = index
        while look < len(words) and _is_tussenvoegsel(words[look].group()):
            look += 1
        if look == len(words):
            break
        word = words[look].group()
        if not word[0].isupper() or word.isupper() or _is_common_word(word):
            break
        end = words[look].end()
        index = look + 1
    return end


def _is_capitalised_name(word: str, at_start: bool) -> bool:
    lower = word.lower()
    if len(word) < 3 or _is_common_word(word):
        return False
    listed = _is_listed_name(lower.split("-")[0])
    if at_start:
        # Every sentence starts with a capital: only listed names that are no ordinary word.
        return listed and lower not in AMBIGUOUS_NAMES
    if listed:
        return True
    if len(lower) > 13 or lower.endswith(_COMPOUND_ENDINGS):
        return False  # a Dutch compound written with a capital, not a name
    return not is_known_word(lower) and not is_known_word(lower.split("-")[0])


_TITLES_AFTER = word_set("hanım hanim bey hanımefendi beyefendi hoca")
_CASELESS_TITLES = frozenset(
    [
        "السيد",
        "السيدة",
        "الآنسة",
        "الأستاذ",
        "الأستاذة",
        "الاستاذ",
        "الاستاذة",
        "الدكتور",
        "الدكتورة",
        "الشيخ",
    ]
)


_CASELESS_RELATIONS = frozenset(
    [
        "ابني",
        "ابنتي",
        "بنتي",
        "ولدي",
        "طفلي",
        "طفلتي",
        "زوجي",
        "زوجتي",
        "أخي",
        "أختي",
        "اخي",
        "اختي",
    ]
)


@lru_cache(maxsize=10_000)
def _is_arabic_word(word: str) -> bool:
    """Whether simplemma's Arabic dictionary knows the word (loaded only when Arabic is seen)."""
    return simplemma.is_known(word, lang="ar")


def _replace_caseless_names(text: str) -> tuple[str, bool]:
    """Names in Arabic or Ge'ez script: after a title or relation word (with a family name
    starting with al- after a title), and listed names anywhere."""
    found = False

    def after_cue(match: re.Match[str]) -> str:
        nonlocal found
        cue, name, family = match.group("cue", "name", "family")
        bare_cue = cue.removeprefix("و")  # "وابني": "and my son"
        if bare_cue in _CASELESS_RELATIONS and name not in first_names() and _is_arabic_word(name):
            return match.group()  # "ابني عشر سنوات": my son is ten years, no name
        found = True
        # A family name (al-…) is only taken after a title: "السيدة فاطمة الزهراء".
        rest = f" {family}" if family and bare_cue not in _CASELESS_TITLES else ""
        return f"{cue} {Kind.NAME.placeholder}{rest}"

    text = _CASELESS_CUE.sub(after_cue, text)

    def listed(match: re.Match[str]) -> str:
        nonlocal found
        if match.group() not in first_names():
            return match.group()
        found = True
        return Kind.NAME.placeholder

    return _CASELESS_WORDS.sub(listed, text), found


def _replace_names(text: str) -> tuple[str, bool]:
    found = False

    def in_context(match: re.Match[str]) -> str:
        nonlocal found
        name = match.group("name")
        initials = re.match(_INITIALS, name)
        rest = (name[initials.end() :] if initials else name).split()
        while len(rest) > 1 and _is_tussenvoegsel(rest[0]):
            rest.pop(0)
        first_word = rest[0] if rest else ""
        if not initials and not _name_in_context(first_word):
            return match.group()
        found = True
        offset = match.start("name") - match.start()
        end = _name_end(name)
        return match.group()[:offset] + Kind.NAME.placeholder + name[end:]

    words = set(_LOWER_WORDS.findall(text.lower()))
    if not words.isdisjoint(_HONORIFIC_WORDS):
        text = _HONORIFIC_NAME.sub(in_context, text)
    if not words.isdisjoint(_RELATION_WORDS):
        text = _RELATION_NAME.sub(in_context, text)
    if not words.isdisjoint(_CUE_WORDS):
        text = _CUE_NAME.sub(in_context, text)
    if not words.isdisjoint(_TITLES_AFTER):
        text, count = _NAME_BEFORE_TITLE.subn(Kind.NAME.placeholder, text)
        found = found or count > 0
    if _CASELESS_SCRIPT.search(text):
        text, hit = _replace_caseless_names(text)
        found = found or hit

    def capitalised(match: re.Match[str]) -> str:
        nonlocal found
        word = match.group()
        at_start = match.start() == 0 or bool(
            _SENTENCE_START.search(text, max(0, match.start() - 8), match.start())
        )
        if not _is_capitalised_name(word, at_start):
            return word
        found = True
        return Kind.NAME.placeholder

    text = _CAPITALISED_WORD.sub(capitalised, text)

    def lowercase(match: re.Match[str]) -> str:
        nonlocal found
        word = match.group()
        if word not in first_names() or is_known_word(word) or _is_common_word(word):
            return word
        found = True
        return Kind.NAME.placeholder

    text = _LOWERCASE_WORD.sub(lowercase, text)

    if found:

        def surname(match: re.Match[str]) -> str:
            word = match.group("word")
            if _is_common_word(word) or (
                is_known_word(word.lower()) and not _is_listed_name(word.lower())
            ):
                return match.group()
            return Kind.NAME.placeholder

        text = _AFTER_NAME.sub(surname, text)
        text = _MERGE_NAMES.sub(Kind.NAME.placeholder, text)
    return text, found


def _replace_case_numbers(text: str) -> tuple[str, bool]:
    found = False

    def keyword_number(match: re.Match[str]) -> str:
        nonlocal found
        code = match.group("code")
        digits = len(_DIGIT.findall(code))
        if digits < 3 or (not match.group("suffix") and _YEAR.fullmatch(code)):
            return match.group()
        found = True
        if match.group("joined"):
            return match.group()[: match.start("code") - match.start()] + "[dossiernummer]"
        return Kind.CASE_NUMBER.placeholder

    text = _CASE_NUMBER.sub(keyword_number, text)
    return text, found


def _replace_codes_and_long_numbers(text: str) -> tuple[str, bool]:
    text, codes = _CODE_LIKE.subn(Kind.CASE_NUMBER.placeholder, text)
    found = codes > 0

    def long_number(match: re.Match[str]) -> str:
        nonlocal found
        number = match.group()
        if len(_DIGIT.findall(number)) < 6 or _DATE_OR_YEARS.fullmatch(number):
            return number
        found = True
        return Kind.CASE_NUMBER.placeholder

    text = _LONG_NUMBER.sub(long_number, text)
    return text, found


def _replace_street_names(text: str) -> tuple[str, bool]:
    text, count = _STREET_NAME.subn(lambda m: m.group("before") + Kind.ADDRESS.placeholder, text)
    return text, count > 0


def _replace_pattern(pattern: re.Pattern[str], kind: Kind) -> Callable[[str], tuple[str, bool]]:
    def replace(text: str) -> tuple[str, bool]:
        text, count = pattern.subn(kind.placeholder, text)
        return text, count > 0

    return replace


# In this order: e-mail addresses before names (their user part), keyword case numbers before
# phone numbers, phone numbers before other long numbers, postcodes before addresses.
_NUMBER_STEPS: list[tuple[Kind, Callable[[str], tuple[str, bool]]]] = [
    (Kind.CASE_NUMBER, _replace_case_numbers),
    (Kind.PHONE, _replace_pattern(_PHONE, Kind.PHONE)),
    (Kind.POSTCODE, _replace_pattern(_POSTCODE, Kind.POSTCODE)),
    (Kind.ADDRESS, _replace_pattern(_ADDRESS, Kind.ADDRESS)),
    (Kind.CASE_NUMBER, _replace_codes_and_long_numbers),
]


def scrub(text: str, lang: str | None = None) -> ScrubResult:
    """Replace personal data in `text` by placeholders; `found_kinds` says which kinds were found.

    `lang` is accepted for callers that know the answer's language; the Dutch and English rules
    are always both applied, because answers mix them ("my son Daan", "mevrouw Smith").
    """
    found: set[Kind] = set()
    lower = text.lower()
    if any(hint in lower for hint in _EMAIL_HINTS):
        text, count = _EMAIL.subn(Kind.EMAIL.placeholder, text)
        if count:
            found.add(Kind.EMAIL)
    if _DIGIT.search(text):
        for kind, step in _NUMBER_STEPS:
            text, hit = step(text)
            if hit:
                found.add(kind)
    text, hit = _replace_street_names(text)
    if hit:
        found.add(Kind.ADDRESS)
    text, hit = _replace_names(text)
    if hit:
        found.add(Kind.NAME)
    return ScrubResult(text, frozenset(found))
