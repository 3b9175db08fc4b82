"""The database triggers that make congregations_ledgerentry append-only.

Used by migration 0004 (install) and by the demo wipe, which drops them, empties the table and
installs them again inside one transaction (see docs/ledger.md).
"""

TABLE = "congregations_ledgerentry"

INSTALL = {
    "sqlite": [
        f"""CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: UPDATE refused'); END""",
        f"""CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: DELETE refused'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION ledger_entry_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
        # TRUNCATE bypasses row triggers; refuse it too unless the table is already empty
        # (so Django's test flush of an unused ledger still works).
        f"""CREATE OR REPLACE FUNCTION ledger_entry_refuse_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM {TABLE}) THEN
                RAISE EXCEPTION 'ledger entries are append-only: TRUNCATE refused'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$""",  # noqa: S608 (TABLE is a constant)
        f"""CREATE TRIGGER ledger_entry_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse_change()""",
        f"""CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_refuse_truncate()""",
    ],
}

REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS ledger_entry_no_update",
        "DROP TRIGGER IF EXISTS ledger_entry_no_delete",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS ledger_entry_no_update_delete ON {TABLE}",
        f"DROP TRIGGER IF EXISTS ledger_entry_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS ledger_entry_refuse_change()",
        "DROP FUNCTION IF EXISTS ledger_entry_refuse_truncate()",
    ],
}


def statements(which: dict, vendor: str) -> list[str]:
    if vendor not in which:
        raise NotImplementedError(f"No append-only ledger triggers written for {vendor}")
    return which[vendor]


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(INSTALL, connection.vendor):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(REMOVE, connection.vendor):
            cursor.execute(sql)


def wipe_ledger(connection) -> None:
    """Empty the ledger (demo reset, test teardown): drop the triggers, delete, re-install.
    Call inside a transaction so nobody ever sees the table without its triggers."""
    remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant)
    install(connection)
