"""Every string of the members app has a Spanish translation (no empty or fuzzy entries)."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "members/locale/es/LC_MESSAGES/django.po"


def test_members_catalogue_is_complete():
    po = polib.pofile(str(CATALOGUE))
    missing = [
        entry.msgid
        for entry in po
        if "fuzzy" in entry.flags
        or not (entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values())))
    ]
    assert missing == []
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 5
