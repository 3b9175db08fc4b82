"""Every committed Spanish catalogue is complete, and the .mo files match the .po files.

(`python -m conect.i18n_check`, run in CI, also re-extracts the strings to catch new ones.)
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation

BASE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(BASE.glob("locale/es/LC_MESSAGES/django.po")) + sorted(
    BASE.glob("*/locale/es/LC_MESSAGES/django.po")
)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    live = [entry for entry in po if not entry.obsolete]
    assert live, "empty catalogue"
    assert [e.msgid for e in live if not e.translated() or "fuzzy" in e.flags] == []
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    stale = [
        e.msgid for e in live if not e.msgid_plural and mo.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == []


def test_spanish_is_served():
    with translation.override("es"):
        assert translation.gettext("Sign out") == "Cerrar sesión"
