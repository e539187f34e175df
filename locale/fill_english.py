"""The interface is written in English: the English catalog's translations are its msgids.

Run by `make messages` after makemessages, so the English catalog is complete like the
other three and tests/test_translations.py can hold all four to the same rule.
"""

from pathlib import Path

import polib

catalog = polib.pofile(str(Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"))
for entry in catalog:
    if entry.obsolete:
        continue
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = None
catalog.save()
