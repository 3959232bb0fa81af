"""Survey answers can be written in the other survey languages (Turkish, Polish, Ukrainian,
Somali, Arabic, Tigrinya): names in their alphabets are scrubbed too, ordinary words are not."""

from __future__ import annotations

import pytest

from participatie.themes.text.scrub import Kind, scrub

NAMES = [
    # Turkish: letters outside Latin-1, titles after the name, relation words with a suffix.
    ("Kimse aramadı, Ayşe Yılmaz hiç cevap vermedi.", ["Ayşe", "Yılmaz"]),
    ("Bu konuda Mehmet Bey bize yardım etti.", ["Mehmet"]),
    ("Şükrü aradı ama kimse açmadı.", ["Şükrü"]),
    ("oğlum Emre şimdi koruyucu ailede.", ["Emre"]),
    ("Sosyal görevli Gülsüm Öztürk çok iyiydi.", ["Gülsüm", "Öztürk"]),
    # Polish: names with ł, ś, ż; Pan/Pani before a surname.
    ("Nikt nie oddzwonił. Pani Kowalska nie odpowiada.", ["Kowalska"]),
    ("Mój syn Łukasz czeka na wizytę.", ["Łukasz"]),
    ("Małgorzata Wójcik z zespołu była miła.", ["Małgorzata", "Wójcik"]),
    ("Rozmawiałam z panem Wiśniewskim dwa razy.", ["Wiśniewskim"]),
    ("Nazywam się Dorota i mam dwoje dzieci.", ["Dorota"]),
    # Ukrainian (Cyrillic).
    ("Ніхто не передзвонив, пані Олена Коваленко мовчить.", ["Олена", "Коваленко"]),
    ("Мій син Андрій живе у прийомній родині.", ["Андрій"]),
    ("Мене звати Ірина, я мама двох дітей.", ["Ірина"]),
    ("Тетяна з команди допомогла мені.", ["Тетяна"]),
    # Somali.
    ("Hodan Cali ayaa i caawisay.", ["Hodan", "Cali"]),
    ("wiilkayga Maxamed wuu faraxsan yahay.", ["Maxamed"]),
    # Arabic script: no capitals, so titles, relation words and listed names.
    ("السيدة فاطمة الزهراء لا ترد على الهاتف.", ["فاطمة", "الزهراء"]),
    ("ابني أحمد ينتظر منذ شهرين.", ["أحمد"]),
    ("وابنتي مريم لا تفهم ما يحدث.", ["مريم"]),
    ("اسمي خديجة وأنا أم لثلاثة أطفال.", ["خديجة"]),
    ("تحدثت مع يوسف من الفريق.", ["يوسف"]),
    # Tigrinya (Ge'ez script): after a title.
    ("ወይዘሮ ሰላም ኣይሰምዓትናን", ["ሰላም"]),
    ("ኣቶ ተስፋይ ሓጊዞምና", ["ተስፋይ"]),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_names_in_other_alphabets_are_replaced(text: str, names: list[str]) -> None:
    result = scrub(text)
    assert Kind.NAME in result.found_kinds
    assert "[naam]" in result.text
    for name in names:
        assert name not in result.text, result.text


ORDINARY = [
    "Kimse beni geri aramadı ve hiçbir şey değişmedi.",
    "Nikt do mnie nie oddzwonił, nie wiem kto jest odpowiedzialny.",
    "мій син пішов до школи, а я чекаю на дзвінок.",
    "Ніхто не знає, хто відповідальний.",
    "Cidna iima soo wicin, ma garanayo qofka mas'uulka ah.",
    # "علي" is also "on me", "عمر" is also "age", "حسن" is also "good".
    "يجب علي أن أنتظر، عمر ابني عشر سنوات والتعامل كان حسن.",
    "لم يتصل بي أحد منذ ثلاثة أشهر.",
    "ابني يذهب إلى المدرسة وزوجي يعمل كل يوم.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_in_other_languages_are_kept(text: str) -> None:
    result = scrub(text)
    assert result.text == text
    assert result.found_kinds == frozenset()


def test_numbers_and_addresses_are_found_whatever_the_language() -> None:
    result = scrub("Zadzwoń na 06-12345678, mieszkam na Kerkstraat 12, 3811 AB.")
    assert "12345678" not in result.text
    assert "3811" not in result.text
    assert {Kind.PHONE, Kind.POSTCODE} <= result.found_kinds
