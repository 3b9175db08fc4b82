"""Backups: one file with the database and the uploaded files, and its restore.

A backup is a tar archive: `manifest.json` (when, which engine, each table's row count and the
sum of every money column, to check a restore against), the database (`db.dump`, PostgreSQL's
custom format from `pg_dump -Fc`; or `db.sqlite3`, a copy made with SQLite's online backup API
while the site runs) and `media/` (uploads under MEDIA_ROOT, when files are kept on this disk).
`manage.py backup` and `manage.py restore` run it; `make backup` / `make restore` call them, in
the compose stack through `docker-compose exec -T web`. The ground floor: no app is imported;
tables are counted through the app registry.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils import timezone

FORMAT = 1


def snapshot() -> dict[str, Any]:
    """Row counts of every table and the sum of every integer `*_cents` column: what a restore
    must give back exactly (the ledger's sums among them)."""
    counts: dict[str, int] = {}
    sums: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label
        counts[label] = model._default_manager.count()
        for field in model._meta.concrete_fields:
            if field.name.endswith("_cents") and isinstance(field, models.IntegerField):
                total = model._default_manager.aggregate(total=models.Sum(field.name))["total"]
                sums[f"{label}.{field.name}"] = total or 0
    return {"counts": counts, "sums": sums}


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """libpq connection arguments for the default database (the password through the
    environment, never on a command line)."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    """The full path of a PostgreSQL client program (the image installs postgresql-client)."""
    if path := shutil.which(name):
        return path
    raise ImproperlyConfigured(f"{name} is not installed: install the PostgreSQL client tools")


def _media_root() -> Path | None:
    """The upload folder, when uploads are files on this disk (not S3)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    return Path(settings.MEDIA_ROOT) if backend.endswith("FileSystemStorage") else None


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(out: IO[bytes]) -> dict[str, Any]:
    """Write one backup archive to `out`; returns its manifest."""
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        **snapshot(),
    }
    with tempfile.TemporaryDirectory() as work, tarfile.open(fileobj=out, mode="w|") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        if _is_postgres():
            dump = Path(work) / "db.dump"
            args, env = _pg_env()
            subprocess.run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args],
                env=env,
                check=True,
            )
        else:
            dump = Path(work) / "db.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)  # consistent while others write
            target.close()
        archive.add(dump, arcname=dump.name)
        media = _media_root()
        if media is not None and media.is_dir():
            archive.add(media, arcname="media")
    return manifest


def restore(source: IO[bytes]) -> dict[str, Any]:
    """Replace the database (and the uploads) with an archive's; returns the manifest after
    checking that every count and money sum came back as the archive recorded them."""
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(fileobj=source, mode="r|") as archive:
            archive.extractall(work, filter="data")
        folder = Path(work)
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise ImproperlyConfigured(f"not a CONECT backup (format {manifest.get('format')})")
        if manifest["engine"] != connection.vendor:
            raise ImproperlyConfigured(
                f"this backup is of a {manifest['engine']} database; DATABASE_URL is "
                f"{connection.vendor}"
            )
        if _is_postgres():
            connection.close()
            args, env = _pg_env()
            subprocess.run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                ]
                + ["--exit-on-error", *args, str(folder / "db.dump")],
                env=env,
                check=True,
            )
        else:
            connection.ensure_connection()
            source_db = sqlite3.connect(folder / "db.sqlite3")
            source_db.backup(connection.connection)
            source_db.close()
        media = _media_root()
        if media is not None and (folder / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(folder / "media", media)
    check = snapshot()
    wrong = {
        key: (manifest[part].get(key), check[part].get(key))
        for part in ("counts", "sums")
        for key in set(manifest[part]) | set(check[part])
        if manifest[part].get(key) != check[part].get(key)
    }
    if wrong:
        raise RuntimeError(f"the restored database differs from the backup: {wrong}")
    return manifest


def default_name() -> str:
    return f"conect-{datetime.datetime.now():%Y%m%d-%H%M%S}.tar"
