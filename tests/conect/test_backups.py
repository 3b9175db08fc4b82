"""Backups (issue 12): the restore drill. A seeded database is backed up, changed, restored,
and every table's row count and every money sum (the dues ledger's among them) come back."""

import io
import json
import tarfile
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from conect.backups import backup, restore, snapshot
from congregations.ledger_triggers import wipe_ledger
from congregations.models import LedgerEntry
from members.models import Person


@pytest.fixture
def seeded(transactional_db, demo_network):
    yield
    with transaction.atomic():
        wipe_ledger(connection)  # the ledger's triggers refuse the test flush's DELETE


def change_everything():
    """What happens after a backup: people added, money posted."""
    congregation_id = LedgerEntry.objects.values_list("congregation_id", flat=True).first()
    Person.objects.create(first_name="After", last_name="Backup")
    LedgerEntry.objects.create(
        congregation_id=congregation_id,
        kind="payment",
        amount_cents=-12_345,
        method="check",
        fiscal_year=2026,
        effective_on="2026-01-05",
        idempotency_key="after-backup",
    )


def drill(tmp_path) -> float:
    before = snapshot()
    assert before["counts"]["members.Person"] >= 300
    assert before["sums"]["congregations.LedgerEntry.amount_cents"] != 0
    archive = tmp_path / "conect.tar"
    started = time.monotonic()
    call_command("backup", "--output", str(archive))
    change_everything()
    assert snapshot() != before
    call_command("restore", str(archive), "--yes")
    took = time.monotonic() - started
    assert snapshot() == before  # every count, every money sum
    return took


def test_restore_drill_on_sqlite(seeded, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL drill is marked postgres")
    drill(tmp_path)


@pytest.mark.postgres
def test_restore_drill_on_postgresql(seeded, tmp_path):
    took = drill(tmp_path)
    print(f"backup + restore of the 300-person demo on PostgreSQL: {took:.1f} s")


def test_uploads_travel_with_the_database(transactional_db, tmp_path):
    media = tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "people.csv").write_text("first_name\nAna\n")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(MEDIA_ROOT=media, STORAGES=storages):
        out = io.BytesIO()
        manifest = backup(out)
        with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as archive:
            names = archive.getnames()
        assert "media/imports/people.csv" in names and "manifest.json" in names
        assert manifest["engine"] == connection.vendor
        (media / "imports" / "people.csv").unlink()
        restore(io.BytesIO(out.getvalue()))
        assert (media / "imports" / "people.csv").read_text() == "first_name\nAna\n"


@pytest.mark.django_db
def test_restore_refuses_another_engines_backup(tmp_path):
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        data = json.dumps({"format": 1, "engine": "oracle", "counts": {}, "sums": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    path = tmp_path / "other.tar"
    path.write_bytes(archive.getvalue())
    with pytest.raises(CommandError, match="oracle"):
        call_command("restore", str(path), "--yes")
