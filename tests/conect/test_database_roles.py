"""The app's database role is not a superuser and owns nothing (issue 11, Must 9).

docker-compose.yml: web, worker and beat connect as conect_app; only the one-shot `migrate`
connects as conect_owner; the passwords come from the environment. On PostgreSQL, the init
script (scripts/postgres-init/10-conect-roles.sh) is run for real in a scratch database, the
ledger is migrated as the owner, and the app role reads and writes rows but cannot switch off
the ledger's append-only triggers in any way.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import yaml
from django.db import connection

BASE = Path(__file__).resolve().parents[2]
SCRIPT = BASE / "scripts" / "postgres-init" / "10-conect-roles.sh"
APP_SERVICES = ("web", "worker", "beat", "flower")


def compose() -> dict:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


def test_compose_runs_the_app_as_conect_app_and_migrations_as_the_owner():
    services = compose()["services"]
    for name in APP_SERVICES:
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://conect_app:${CONECT_DB_APP_PASSWORD:?"), name
    migrate = services["migrate"]["environment"]["DATABASE_URL"]
    assert migrate.startswith("postgres://conect_owner:${CONECT_DB_OWNER_PASSWORD:?")
    db = services["db"]
    assert "./scripts/postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert db["environment"]["POSTGRES_USER"] == "${POSTGRES_USER:-postgres}"
    for name in ("POSTGRES_PASSWORD", "CONECT_DB_OWNER_PASSWORD", "CONECT_DB_APP_PASSWORD"):
        assert db["environment"][name] == f"${{{name}:?set {name} in .env}}"  # no secret here


@pytest.fixture
def scratch_roles(db):
    """The init script run against this server as its superuser, with names of its own (roles
    are server-wide): {"db", "owner", "app", passwords}. Dropped afterwards."""
    suffix = secrets.token_hex(4)
    names = {
        "db": f"conect_roles_{suffix}",
        "owner": f"conect_owner_{suffix}",
        "app": f"conect_app_{suffix}",
        "owner_password": secrets.token_urlsafe(16),
        "app_password": secrets.token_urlsafe(16),
    }
    server = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": server["HOST"] or "127.0.0.1",
        "PGPORT": str(server["PORT"] or 5432),
        "PGPASSWORD": server["PASSWORD"] or "",
        "POSTGRES_USER": server["USER"],
        "CONECT_DB_NAME": names["db"],
        "CONECT_DB_OWNER": names["owner"],
        "CONECT_DB_APP_USER": names["app"],
        "CONECT_DB_OWNER_PASSWORD": names["owner_password"],
        "CONECT_DB_APP_PASSWORD": names["app_password"],
    }
    try:
        for _twice in range(2):  # idempotent: a second run (an upgrade by hand) changes nothing
            subprocess.run(["/bin/sh", str(SCRIPT)], env=env, check=True, capture_output=True)
        yield names
    finally:
        superuser = _connect(server["USER"], server["PASSWORD"], "postgres")
        superuser.autocommit = True
        with superuser:
            superuser.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
            superuser.execute(f'DROP ROLE IF EXISTS "{names["app"]}"')
            superuser.execute(f'DROP ROLE IF EXISTS "{names["owner"]}"')


def _connect(user, password, dbname):
    server = connection.settings_dict
    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=user,
        password=password or None,
        dbname=dbname,
    )


def _url(names, who):
    server = connection.settings_dict
    host, port = server["HOST"] or "127.0.0.1", server["PORT"] or 5432
    return f"postgres://{names[who]}:{names[who + '_password']}@{host}:{port}/{names['db']}"


REFUSED = [
    "ALTER TABLE congregations_ledgerentry DISABLE TRIGGER ALL",
    "ALTER TABLE congregations_ledgerentry DISABLE TRIGGER ledger_entry_no_update_delete",
    "DROP TRIGGER ledger_entry_no_update_delete ON congregations_ledgerentry",
    "DROP TRIGGER ledger_entry_no_truncate ON congregations_ledgerentry",
    "DROP FUNCTION ledger_entry_refuse_truncate()",
    "TRUNCATE congregations_ledgerentry",
    "SET session_replication_role = replica",
    "ALTER TABLE congregations_ledgerentry OWNER TO CURRENT_USER",
    "CREATE TABLE scratch (id int)",
    "DROP TABLE congregations_ledgerentry",
]


@pytest.mark.postgres
def test_the_app_role_writes_rows_but_cannot_switch_off_the_ledger_triggers(scratch_roles):
    names = scratch_roles
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "congregations", "--noinput"],
        cwd=BASE,
        env={**os.environ, "DATABASE_URL": _url(names, "owner")},
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]

    app = _connect(names["app"], names["app_password"], names["db"])
    app.autocommit = True
    with app:
        role = app.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False, False)
        congregation = app.execute(
            "INSERT INTO congregations_congregation (name, slug, tradition, denomination, street,"
            " town, zip, status) VALUES ('Grace', 'grace', 'christian', '', '', 'Hartford', '',"
            " 'member') RETURNING id"
        ).fetchone()[0]
        entry = app.execute(
            "INSERT INTO congregations_ledgerentry (congregation_id, kind, amount_cents,"
            " fiscal_year, effective_on, method, reference, memo, idempotency_key, created_at,"
            " duplicate_reason) VALUES (%s, 'payment', -100, 2026, current_date, 'check', '',"
            " '', %s, now(), '') RETURNING id",
            [congregation, secrets.token_hex(8)],
        ).fetchone()[0]
        for sql in (
            "UPDATE congregations_ledgerentry SET amount_cents = 0 WHERE id = %s",
            "DELETE FROM congregations_ledgerentry WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
                app.execute(sql, [entry])
        for sql in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql)
        count = app.execute("SELECT count(*) FROM congregations_ledgerentry").fetchone()[0]
        assert count == 1
