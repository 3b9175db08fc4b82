"""Import matching that never merges strangers (issue 11, Musts 3 and 4), table-driven.

Each case: who is in the database, one row of a file, who imports it; what the row does, why,
and whom it matches. Every case is imported twice: the second run must change nothing.
"""

import pytest

from congregations.models import Congregation, Membership
from congregations.selectors import congregations_visible_to
from members.duplicates import find_pairs_among
from members.models import ImportRow, Person
from members.selectors import people_visible_to
from members.services import people_import
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

A = ImportRow.Action


def import_text(text, *, by=None, default=None):
    outcomes = []
    plan = people_import(
        text=text,
        by=by,
        congregations=congregations_visible_to(by) if by else Congregation.objects.all(),
        people=people_visible_to(by, include_archived=True) if by else None,
        default_congregation=default,
        outcomes=outcomes.append,
    )
    return plan, outcomes


# (case, people already there: (first, last, email, phone, zip, congregation "mine"/"other"),
#  the row (first,last,email,phone,zip), importer "lead" (St. Mark's only) or "admin",
#  expected action, reason, index of the matched/close person or None, people afterwards)
CASES = [
    (
        "same email, any case",
        [("Ana", "Ruiz", "ana@x.org", "", "", "mine")],
        "Ana,Ruiz,ANA@X.ORG,,",
        "lead",
        A.UNCHANGED,
        "email",
        0,
        1,
    ),
    (
        "same email fills an empty phone",
        [("Ana", "Ruiz", "ana@x.org", "", "", "mine")],
        "Ana,Ruiz,ana@x.org,860 555 0101,",
        "lead",
        A.UPDATE,
        "email",
        0,
        1,
    ),
    (
        "same phone and first name",
        [("Tom", "Berg", "", "+18605550102", "", "mine")],
        "TOM,Berg,,(860) 555-0102,",
        "lead",
        A.UNCHANGED,
        "phone",
        0,
        1,
    ),
    (
        "spouse on the family phone: a new person",
        [("Tom", "Berg", "", "+18605550102", "", "mine")],
        "Ana,Berg,,860-555-0102,",
        "lead",
        A.FLAGGED,
        "phone_other_name",
        0,
        2,
    ),
    (
        "same phone and first name, different emails: a new person",
        [("Tom", "Berg", "tom@x.org", "+18605550102", "", "mine")],
        "Tom,Berg,tom.berg@y.org,8605550102,",
        "lead",
        A.FLAGGED,
        "conflict",
        0,
        2,
    ),
    (
        "same name and ZIP, nothing else on record",
        [("María José", "Núñez", "", "", "06103", "mine")],
        "maria jose,NUNEZ,mj@x.org,,06103",
        "lead",
        A.UPDATE,
        "name_zip",
        0,
        1,
    ),
    (
        "same name and ZIP, different email on both: a new person, email kept",
        [("Ana", "Ruiz", "ana@x.org", "", "06103", "mine")],
        "Ana,Ruiz,ana.ruiz@y.org,,06103",
        "lead",
        A.FLAGGED,
        "conflict",
        0,
        2,
    ),
    (
        "same name and ZIP, different phone on both: a new person",
        [("Ana", "Ruiz", "", "+18605550101", "06103", "mine")],
        "Ana,Ruiz,,8605550199,06103",
        "lead",
        A.FLAGGED,
        "conflict",
        0,
        2,
    ),
    (
        "two people of that name in that ZIP: neither is chosen",
        [("John", "Smith", "", "", "06103", "mine"), ("John", "Smith", "", "", "06103", "mine")],
        "John,Smith,john@x.org,,06103",
        "lead",
        A.FLAGGED,
        "ambiguous",
        0,
        3,
    ),
    (
        "two people of that name in that ZIP, a row that adds nothing: left alone",
        [("John", "Smith", "", "", "06103", "mine"), ("John", "Smith", "", "", "06103", "mine")],
        "John,Smith,,,06103",
        "lead",
        A.UNCHANGED,
        "same",
        0,
        2,
    ),
    (
        "names only, same name in the same congregation",
        [("Lee", "Kim", "", "", "", "mine")],
        "Lee,Kim,,,",
        "lead",
        A.UNCHANGED,
        "name",
        0,
        1,
    ),
    (
        "names only, same name in another congregation the lead sees not: new, not flagged",
        [("Lee", "Kim", "", "", "", "other")],
        "Lee,Kim,,,",
        "lead",
        A.NEW,
        "",
        None,
        2,
    ),
    (
        "outside the lead's scope, same email: a new person, nothing revealed",
        [("Ana", "Ruiz", "ana@x.org", "+18605550101", "06103", "other")],
        "Ana,Ruiz,ana@x.org,8605550101,06103",
        "lead",
        A.NEW,
        "",
        None,
        2,
    ),
    (
        "outside the lead's scope, same phone and first name: a new person",
        [("Tom", "Berg", "", "+18605550102", "", "other")],
        "Tom,Berg,,8605550102,",
        "lead",
        A.NEW,
        "",
        None,
        2,
    ),
    (
        "an admin matches across the network",
        [("Ana", "Ruiz", "ana@x.org", "", "", "other")],
        "Ana,Ruiz,ana@x.org,,",
        "admin",
        A.UPDATE,
        "email",
        0,
        1,
    ),
]


@pytest.mark.parametrize(
    ("existing", "row", "importer", "action", "reason", "match", "people_after"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_matching_case(
    existing,
    row,
    importer,
    action,
    reason,
    match,
    people_after,
    congregation,
    other_congregation,
    lead,
    admin_user,
):
    where = {"mine": congregation, "other": other_congregation}
    people = [
        PersonFactory(
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            zip=zip_code,
            congregation=where[c],
        )
        for first, last, email, phone, zip_code, c in existing
    ]
    by = {"lead": lead, "admin": admin_user}[importer]
    text = f"first_name,last_name,email,phone,zip\n{row}\n"
    outside = [p for p in people if where_of(p) == other_congregation]
    outside_before = [snapshot(p) for p in outside]

    plan, outcomes = import_text(text, by=by, default=congregation)
    assert plan.is_valid
    [outcome] = outcomes
    assert (outcome.action, outcome.reason) == (action, reason)
    if match is None:
        assert outcome.person_id is None  # nothing about anyone outside scope
    else:
        assert outcome.person_id == people[match].pk
    assert Person.objects.count() == people_after
    if importer == "lead":  # people outside the lead's scope are untouched
        assert [snapshot(p) for p in outside] == outside_before
    # Re-running the same file changes nothing.
    again, outcomes = import_text(text, by=by, default=congregation)
    assert not again.has_changes, outcomes
    assert Person.objects.count() == people_after


def where_of(person):
    return Membership.objects.get(person=person, is_primary=True).congregation


def snapshot(person):
    person.refresh_from_db()
    memberships = set(person.memberships.values_list("congregation_id", "is_primary", "role"))
    return (person.email, person.phone, person.zip, person.street, memberships)


def test_a_new_person_outside_scope_is_a_duplicate_for_staff(
    lead, congregation, other_congregation
):
    theirs = PersonFactory(email="ana@x.org", congregation=other_congregation)
    import_text("first_name,last_name,email\nAna,Ruiz,ana@x.org\n", by=lead, default=congregation)
    mine = Person.objects.exclude(pk=theirs.pk).get()
    assert mine.memberships.get().congregation == congregation
    assert not people_visible_to(lead).filter(pk=theirs.pk).exists()  # still out of scope
    pairs = find_pairs_among(Person.objects.all())  # the staff's duplicates page
    assert [(p.first_id, p.second_id, p.reasons) for p in pairs] == [
        (theirs.pk, mine.pk, {"email"})
    ]


def test_a_different_phone_on_an_email_match_is_noted_not_dropped(congregation):
    PersonFactory(email="ana@x.org", phone="+18605550101", congregation=congregation)
    plan, [outcome] = import_text(
        "first_name,email,phone\nAna,ana@x.org,860 555 0199\n", default=congregation
    )
    assert outcome.reason == "email" and "+18605550199" in outcome.detail


def test_within_the_file_the_same_rules_hold(congregation):
    plan, outcomes = import_text(
        "first_name,last_name,email,phone,zip\n"
        "Tom,Berg,,8605550102,\n"
        "Ana,Berg,,8605550102,\n"  # the spouse
        "Tom,Berg,tom@x.org,8605550102,\n"  # Tom again: fills his email
        "John,Smith,,,06103\n"
        "John,Smith,,,06103\n",  # nothing tells them apart: the same person
        default=congregation,
    )
    assert [(o.action, o.reason, o.same_as_line) for o in outcomes] == [
        (A.NEW, "", None),
        (A.FLAGGED, "phone_other_name", 2),
        (A.UPDATE, "phone", 2),
        (A.NEW, "", None),
        (A.UNCHANGED, "name_zip", 5),
    ]
    assert Person.objects.count() == 3
    assert Person.objects.get(first_name="Tom").email == "tom@x.org"


@pytest.mark.postgres
def test_the_database_finds_every_candidate_and_few_others(congregation):
    """PostgreSQL finds the people a file may match in one query: everyone sharing an email
    (any case), a phone, a name and ZIP (spelled with or without accents and apostrophes) or,
    for rows with none of those, a name; the strangers are left in the database."""
    from django.db import connection

    from members.importing import CongregationMatcher, _people_in, _row_keys, _Wanted, clean_row

    assert connection.vendor == "postgresql"

    def person(first, last, email="", phone="", zip_code=""):
        return PersonFactory(
            congregation=congregation,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            zip=zip_code,
        ).pk

    wanted_ids = {
        person("Ana", "Ruiz", email="Ana@X.org"),
        person("Bo", "Lee", phone="+18605550101"),
        person("José", "O'Brien", zip_code="06103-1234"),
        person("Kim", "Park"),
    }
    strangers = {
        person("Ana", "Ruiz", email="other@x.org"),
        person("José", "OBrien", zip_code="06105"),
        person("Lu", "Chen", phone="+18605550999"),
    }
    matcher = CongregationMatcher([congregation])
    wanted = _Wanted()
    for raw in (
        {"first_name": "Anita", "email": "ana@x.org"},
        {"first_name": "Bob", "phone": "(860) 555-0101"},
        {"first_name": "jose", "last_name": "obrien", "zip": "06103"},
        {"first_name": "Kim", "last_name": "Park"},
    ):
        row = clean_row(raw, matcher, congregation.pk)
        wanted.add(row, _row_keys(row))
    found = set(_people_in(Person.objects.all(), wanted).pid)
    assert found >= wanted_ids
    assert not found & strangers


@pytest.mark.postgres
def test_a_stored_email_with_capitals_is_found_by_index_within_the_scope(
    congregation, other_congregation
):
    """People whose stored email has a capital are looked up apart, through a partial index
    (the pass over people compares emails as stored), and only within the importer's scope."""
    from django.db import connection

    from members.importing import _FOLDED_SQL

    mine = PersonFactory(congregation=congregation, email="Ana.Ruiz@X.org")
    theirs = PersonFactory(congregation=other_congregation, email="Bo.Lee@X.org")
    text = "first_name,last_name,email\nAnita,Ruiz,ana.ruiz@x.org\nBob,Lee,BO.LEE@x.org\n"
    everyone = people_import(
        text=text,
        by=None,
        congregations=Congregation.objects.all(),
        dry_run=True,
        default_congregation=congregation,
    )
    assert {mine.pk, theirs.pk} <= set(everyone.people.pid)
    scoped = people_import(
        text=text,
        by=None,
        congregations=Congregation.objects.filter(pk=congregation.pk),
        people=Person.objects.filter(memberships__congregation=congregation),
        dry_run=True,
        default_congregation=congregation,
    )
    assert mine.pk in scoped.people.pid and theirs.pk not in scoped.people.pid
    assert scoped.counts["new"] == 1  # Bo Lee is not theirs to match: a new person
    assert scoped.counts["matched"] + scoped.counts["unchanged"] == 1
    with connection.cursor() as cursor:  # the query's WHERE still implies the index's
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + _FOLDED_SQL, [["ana.ruiz@x.org"]])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "person_email_folded_idx" in plan
