"""The staff-typed free-text ethnicity moves into Demographics, unconfirmed (no consent)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("members", "0012_demographics_and_voter_registration")]
AFTER = [("members", "0014_retire_free_text_ethnicity")]

move = importlib.import_module("members.migrations.0013_move_ethnicity_to_demographics")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Puerto Rican", ["latino"]),
        ("Black / Haitian", ["black", "caribbean"]),
        ("Irish-American", ["white"]),
        ("Vietnamese", ["asian"]),
        ("Punjabi Sikh", ["south_asian"]),
        ("prefers not to say", []),
    ],
)
def test_the_words_staff_typed_name_groups(text, groups):
    assert move._groups(text) == groups


@pytest.fixture
def back_to_the_latest_schema():
    """Going back to BEFORE unapplies every later migration (other apps' too): after the test,
    migrate to the project's leaves, not only to AFTER, or later tests meet an old schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_migrating_keeps_the_words_without_consent():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Person = old.get_model("members", "Person")
    kept = Person.objects.create(first_name="Ana", ethnicity="Puerto Rican")
    Person.objects.create(first_name="Ben", ethnicity="")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Demographics = new.get_model("members", "Demographics")
    (row,) = Demographics.objects.all()
    assert row.person_id == kept.pk and row.self_described == "Puerto Rican"
    assert row.groups == ["latino"] and row.equity_group == "latino"
    assert row.consented_on is None  # nobody asked them: counted nowhere until they agree
    assert "ethnicity" not in {f.name for f in new.get_model("members", "Person")._meta.fields}
