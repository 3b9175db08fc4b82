"""One Spanish voice (issue 12): every catalogue speaks to the reader as usted, and money
assessed is never "cobrado" (which reads as collected)."""

import re
from pathlib import Path

import polib
import pytest

BASE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(BASE.glob("*/locale/es/LC_MESSAGES/django.po")) + [
    BASE / "locale/es/LC_MESSAGES/django.po"
]
# Words that only the tú register uses (a verb form, a pronoun or a possessive).
TU = re.compile(
    r"\b(tú|tu|tus|te|ti|contigo|tuyo|tuya|tienes|puedes|quieres|necesitas|debes|estás|eres|"
    r"olvidaste|dijiste|hiciste|volverías|haz|ven)\b",
    re.IGNORECASE,
)


def translations():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield path.relative_to(BASE), entry.msgid, text


def test_catalogues_are_found():
    assert len(CATALOGUES) >= 7


def test_every_catalogue_says_usted():
    tu = [(str(path), msgid) for path, msgid, text in translations() if TU.search(text)]
    assert not tu, tu


def test_assessed_is_not_collected():
    wrong = [
        (str(path), msgid)
        for path, msgid, text in translations()
        if "assess" in msgid.lower() and "cobr" in text.lower()
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("text", ["¿Olvidaste tu contraseña?", "Haz seguimiento hoy"])
def test_the_check_knows_the_tu_forms(text):
    assert TU.search(text)
