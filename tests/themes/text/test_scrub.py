"""The scrubber replaces every kind of personal data, in Dutch and English forms, and leaves
ordinary words alone."""

from __future__ import annotations

import pytest

from participatie.themes.text.scrub import Kind, scrub

NAMES = [
    ("mevrouw Bakker belde me nooit terug.", "mevrouw [naam] belde me nooit terug."),
    (
        "Ik heb mijn zoon Daan al weken niet gezien.",
        "Ik heb mijn zoon [naam] al weken niet gezien.",
    ),
    ("mijn zoon daan is 13", "mijn zoon [naam] is 13"),
    ("meneer De Vries van het wijkteam was aardig.", "meneer [naam] van het wijkteam was aardig."),
    ("mevrouw van der Linden was ziek.", "mevrouw [naam] was ziek."),
    ("Dhr. Pietersen zei niets.", "Dhr. [naam] zei niets."),
    ("mw. J.P. de Groot schreef het rapport.", "mw. [naam] schreef het rapport."),
    (
        "De gezinsvoogd, Sanne, zei dat het goed ging.",
        "De gezinsvoogd, [naam], zei dat het goed ging.",
    ),
    ("Femke van de GI luisterde echt.", "[naam] van de GI luisterde echt."),
    ("Ik sprak met Kayleigh van Veilig Thuis.", "Ik sprak met [naam] van Veilig Thuis."),
    ("Daan de Vries en Femke Jansen-Smit waren er.", "[naam] en [naam] waren er."),
    ("Zij heet Lotte en werkt bij SAVE.", "Zij heet [naam] en werkt bij SAVE."),
    ("Ik ben Mohamed, vader van twee kinderen.", "Ik ben [naam], vader van twee kinderen."),
    ("onze jongste, Noor, woont in een leefgroep", "onze jongste, [naam], woont in een leefgroep"),
    ("juf Anna merkte het als eerste.", "juf [naam] merkte het als eerste."),
    ("Mr. Smith from the council never called.", "Mr. [naam] from the council never called."),
    ("Mrs Brown and Dr. Patel were kind.", "Mrs [naam] and Dr. [naam] were kind."),
    ("My son Jake is back home.", "My son [naam] is back home."),
    ("We spoke to caseworker Linda Thompson twice.", "We spoke to caseworker [naam] twice."),
    ("Sarah from the GI was great.", "[naam] from the GI was great."),
    ("My name is Tom and my daughter is Emma.", "My name is [naam] and my daughter is [naam]."),
    ("her guardian, Ms Okafor, was helpful", "her guardian, Ms [naam], was helpful"),
]

EMAILS = [
    "Mail me op jan.jansen@gmail.com graag.",
    "mijn mail: p.de-vries+jeugd@ziggo.nl",
    "Write to SARAH_SMITH@Outlook.co.uk please.",
    "pieter (at) ziggo (dot) nl",
    "anna [at] hotmail [dot] com",
    "mail naar kees apenstaartje kpn punt nl",
]

PHONES = [
    "Bel me op 06-12345678.",
    "Bel me op 0612345678 alsjeblieft.",
    "mijn nummer is 06 1234 5678",
    "Bel +31 6 1234 5678 na vijven.",
    "+31 (0)6-12345678 is mijn nummer",
    "Het wijkteam: 033-1234567.",
    "Bel (033) 123 45 67 voor een afspraak.",
    "0031 33 123 4567 werkt ook",
    "Call me on +44 20 7946 0958.",
    "My mobile is 07700 900123.",
    "Call (555) 123-4567 any time.",
]

POSTCODES = [
    "Ik woon in 3811 AB Amersfoort.",
    "postcode 3811ab",
    "3812CD is mijn postcode",
    "We lived at SW1A 1AA for years.",
]

ADDRESSES = [
    "Ik woon op Stationsstraat 12.",
    "Kerkweg 3a is mijn adres.",
    "Utrechtseweg 12-14 bovenste bel",
    "Burgemeester de Beaufortweg 16 is het kantoor",
    "We woonden aan de Kerkweg toen.",
    "I live at 12 Baker Street now.",
    "Flat 3, 221B Baker Street",
]

CASE_NUMBERS = [
    ("dossiernummer 2023-4567 staat op de brief.", "[dossiernummer] staat op de brief."),
    ("Mijn dossiernummer is 2023-4567.", "Mijn dossiernummer is [dossiernummer]."),
    ("zaaknummer Z-2023-0012 bij de rechtbank", "[dossiernummer] bij de rechtbank"),
    ("zaaknr. 12345 gaat over mijn zoon", "[dossiernummer] gaat over mijn zoon"),
    ("ons kenmerk 2023/12345", "ons [dossiernummer]"),
    ("Mijn BSN is 123456789.", "Mijn BSN is [dossiernummer]."),
    ("My case number is 12345678.", "My case number is [dossiernummer]."),
    ("file no. AB-1234 at the court", "[dossiernummer] at the court"),
    ("reference: ZK-20231234", "[dossiernummer]"),
]

UNCHANGED = [
    "Het gesprek met de Raad was goed, maar SAVE belde niet terug.",
    "In 2019 kreeg ik 3 keer een brief, op 12-03-2020, in de periode 2019-2020.",
    "De jeugdbeschermer vond het prima. Ze zei dat Jeugdzorg het regelt.",
    "Tip: geef ouders meteen een overzicht van wie wie is.",
    "The report said I refused help, which is simply not true.",
    "Will they ever call back?",
    "Mark my words, the wijkteam failed.",
    "We wonen al 12 jaar in Amersfoort en daarvoor in Leusden.",
    "De bakker en de visser hebben er niets mee te maken.",
    "Mijn zoon is 13 en zit in groep 8.",
    "Ik kreeg 2 brieven en 1 mail in 3 weken.",
    "Ik heb 14 033 gebeld, het nummer van de gemeente.",
    "Het kost € 1.250 per maand.",
    "Veilig Thuis, het wijkteam en de kinderrechter: allemaal anders.",
    "Geen verdere opmerkingen.",
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names_of_people_become_placeholders(text: str, expected: str) -> None:
    result = scrub(text)
    assert result.text == expected
    assert Kind.NAME in result.found_kinds


@pytest.mark.parametrize("text", EMAILS)
def test_email_addresses_are_removed(text: str) -> None:
    result = scrub(text)
    assert "[e-mail]" in result.text
    assert "@" not in result.text
    assert not any(part in result.text.lower() for part in ("ziggo", "gmail", "hotmail", "kpn"))
    assert Kind.EMAIL in result.found_kinds


@pytest.mark.parametrize("text", PHONES)
def test_phone_numbers_are_removed(text: str) -> None:
    result = scrub(text)
    assert "[telefoon]" in result.text
    assert sum(character.isdigit() for character in result.text) <= 1, result.text
    assert result.found_kinds == {Kind.PHONE}


@pytest.mark.parametrize("text", POSTCODES)
def test_postcodes_are_removed(text: str) -> None:
    result = scrub(text)
    assert "[postcode]" in result.text
    assert Kind.POSTCODE in result.found_kinds
    assert not any(character.isdigit() for character in result.text)


@pytest.mark.parametrize("text", ADDRESSES)
def test_street_addresses_are_removed(text: str) -> None:
    result = scrub(text)
    assert "[adres]" in result.text
    assert Kind.ADDRESS in result.found_kinds
    for street in ("Stationsstraat", "Kerkweg", "Utrechtseweg", "Beaufortweg", "Baker"):
        assert street not in result.text


@pytest.mark.parametrize(("text", "expected"), CASE_NUMBERS)
def test_case_and_file_numbers_are_removed(text: str, expected: str) -> None:
    result = scrub(text)
    assert result.text == expected
    assert result.found_kinds == {Kind.CASE_NUMBER}


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_words_numbers_and_organisations_stay(text: str) -> None:
    result = scrub(text)
    assert result.text == text
    assert result.found_kinds == frozenset()


def test_an_answer_with_every_kind_keeps_its_sense() -> None:
    text = (
        "Mijn zoon Daan (dossiernummer 2023-4567) woont bij mevrouw Bakker op Kerkweg 3a, "
        "3811 AB Amersfoort. Bel 06-12345678 of mail daan.ouder@gmail.com."
    )
    result = scrub(text)
    assert result.text == (
        "Mijn zoon [naam] ([dossiernummer]) woont bij mevrouw [naam] op [adres], "
        "[postcode] Amersfoort. Bel [telefoon] of mail [e-mail]."
    )
    assert result.found_kinds == set(Kind)


def test_scrubbing_twice_changes_nothing_more() -> None:
    once = scrub("Mevrouw Jansen, bel 06-12345678, Stationsstraat 12.").text
    assert scrub(once).text == once


def test_placeholders_are_dutch_whatever_the_language() -> None:
    assert scrub("Call Mr. Smith on 06-12345678", lang="en").text == "Call Mr. [naam] on [telefoon]"
