"""Every interface message has a text in all four public languages (English is the source,
filled by locale/fill_english.py)."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


LANGUAGES = ["ja", "en", "zh_Hans", "ko"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_untranslated_or_fuzzy_message(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


FORMAT_FIELD = re.compile(r"%\((\w+)\)|\{(\w+)\}")


def format_fields(text: str) -> set[str]:
    return {"".join(match) for match in FORMAT_FIELD.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_keeps_every_placeholder(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            # A singular form may leave out what only the plural says; together they say all.
            forms = [format_fields(text) for text in entry.msgstr_plural.values()]
            expected = format_fields(entry.msgid_plural) | format_fields(entry.msgid)
            assert set().union(*forms) == expected, entry.msgid
            assert all(form <= expected for form in forms), entry.msgid
        else:
            assert format_fields(entry.msgstr) == format_fields(entry.msgid), entry.msgid


@pytest.mark.parametrize("language", ["ja", "zh_Hans", "ko"])
def test_no_sentence_is_left_in_english(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    copied = [
        entry.msgid
        for entry in catalog.translated_entries()
        if entry.msgstr == entry.msgid and len(re.findall(r"[A-Za-z]{3,}", entry.msgid)) >= 2
    ]
    assert not copied, f"English left in {language}: {copied}"


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def test_english_pages_carry_no_japanese_from_the_source_text():
    """The English catalog copies the source, so a source text with Japanese in it (a search
    example, a term) would show Japanese to English readers; Japanese belongs in ja's catalog."""
    catalog = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalog.translated_entries() if JAPANESE.search(entry.msgstr)] == []
