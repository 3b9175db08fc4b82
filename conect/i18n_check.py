"""`python -m conect.i18n_check`: every Spanish catalogue is complete and current.

For the project catalogue (locale/: templates/ and conect/) and each app's own catalogue
(<app>/locale/), it re-extracts the strings with makemessages (needs GNU gettext), lists any that
are missing from the committed .po, then any entry that is empty or fuzzy, and any .mo that does
not match its .po. It restores the committed files either way. Exit 1 on any problem.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
APPS = [
    "members",
    "congregations",
    "relationships",
    "campaigns",
    "actions",
    "accountability",
    "notifications",
    "api",
]
SKIP = [".venv/*", "var/*", "static/vendor/*", "node_modules/*", "tests/*"]


def catalogues() -> list[tuple[Path, list[str]]]:
    """(folder to run makemessages in, what to ignore there) for each catalogue."""
    own = [app for app in APPS if (BASE / app / "locale").is_dir()]
    found = [(BASE, SKIP + [f"{app}/*" for app in own])]
    found += [(BASE / app, ["tests/*"]) for app in own]
    return found


def _ids(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def check(folder: Path, ignores: list[str]) -> list[str]:
    po_path = folder / "locale" / "es" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        return [f"{po_path.relative_to(BASE)}: missing"]
    problems = []
    committed = polib.pofile(str(po_path))
    with tempfile.TemporaryDirectory() as keep:
        backup = Path(keep) / "django.po"
        shutil.copy2(po_path, backup)
        try:
            command = [sys.executable, str(BASE / "manage.py"), "makemessages", "-l", "es"]
            command += ["--no-location"] + [f"--ignore={pattern}" for pattern in ignores]
            subprocess.run(command, cwd=folder, check=True, capture_output=True)
            fresh = polib.pofile(str(po_path))
        finally:
            shutil.copy2(backup, po_path)
    for _context, msgid in sorted(_ids(fresh) - _ids(committed), key=str):
        problems.append(f"{po_path.relative_to(BASE)}: not in the catalogue: {msgid!r}")
    for entry in committed:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{po_path.relative_to(BASE)}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{po_path.relative_to(BASE)}: untranslated: {entry.msgid!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{mo_path.relative_to(BASE)}: missing (run compilemessages)")
    else:
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_path))
        }
        for entry in committed.translated_entries():
            key = (entry.msgctxt, entry.msgid)
            if compiled.get(key) != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
                problems.append(f"{mo_path.relative_to(BASE)}: stale for {entry.msgid!r}")
                break
    return problems


def main() -> int:
    problems = [p for folder, ignores in catalogues() for p in check(folder, ignores)]
    for problem in problems:
        print(problem)
    print(f"i18n: {len(catalogues())} catalogues, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
