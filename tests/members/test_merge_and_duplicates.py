"""Duplicate candidates, and merging two people without losing a single related record."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from congregations.models import Membership
from members.duplicates import duplicates_refresh, find_pairs, find_pairs_among
from members.models import AuditEvent, LeadershipChange, Level, Person, Tag
from members.services import MergeConflict, person_merge
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def relation_counts(person) -> dict:
    """Rows of every model that points at `person` (FK or M2M), found generically."""
    counts = {}
    for relation in Person._meta.related_objects:
        if relation.many_to_many:
            through = relation.field.remote_field.through
            column = relation.field.m2m_reverse_field_name()
            counts[relation.related_model._meta.label + "." + relation.field.name] = (
                through.objects.filter(**{column: person.pk}).count()
            )
        else:
            counts[relation.related_model._meta.label + "." + relation.field.name] = (
                relation.related_model._base_manager.filter(
                    **{relation.field.name: person.pk}
                ).count()
            )
    return counts


class TestFindPairs:
    def rows(self, *people):
        return [(i, *p) for i, p in enumerate(people, 1)]

    def test_rules(self):
        rows = self.rows(
            ("Ana", "Ruiz", "ANA@x.org", "", ""),
            ("Anita", "Ruiz", "ana@x.org", "", ""),  # same email
            ("Tom", "O'Brien", "", "+18605550102", ""),
            ("Thomas", "OBRIEN", "", "+18605550102", ""),  # same phone + last name
            ("María", "Núñez", "", "", "06103"),
            ("maria", "nunez", "", "", "06103-1234"),  # same name + ZIP
            ("Jonathan", "Smith", "", "", ""),
            ("Jonathon", "Smith", "", "", ""),  # fuzzy, same congregation
            ("Jonathan", "Smyth", "", "", ""),  # fuzzy last name
            ("Jonathan", "Smith", "", "", ""),  # same name, other congregation: no
        )
        congregations = {i: {1} for i in range(1, 10)} | {10: {2}}
        pairs = {(p.first_id, p.second_id): p.reasons for p in find_pairs(rows, congregations)}
        assert pairs[(1, 2)] == {"email"}
        assert pairs[(3, 4)] == {"phone"}
        assert "name_zip" in pairs[(5, 6)]
        assert pairs[(7, 8)] == {"fuzzy"} and pairs[(7, 9)] == {"fuzzy"}
        assert (7, 10) not in pairs and (1, 3) not in pairs

    def test_scoped_scan(self, lead, congregation, other_congregation):
        PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", email="")
        PersonFactory(congregation=congregation, first_name="Anna", last_name="Ruiz", email="")
        PersonFactory(congregation=other_congregation, first_name="Ana", last_name="Ruiz")
        from members.selectors import people_visible_to

        assert len(find_pairs_among(people_visible_to(lead))) == 1

    def test_command(self, congregation, capsys, tmp_path):
        PersonFactory(congregation=congregation, email="a@x.org")
        PersonFactory(congregation=congregation, email="A@x.org")
        out = tmp_path / "pairs.csv"
        call_command("find_duplicates", "--csv", str(out))
        assert "1 candidate pairs" in capsys.readouterr().out
        assert "email" in out.read_text()


class TestMerge:
    def test_every_relation_moves_to_the_survivor(
        self, congregation, other_congregation, admin_user
    ):
        from tests.relationships.factories import HouseMeetingFactory, OneOnOneFactory

        survivor = PersonFactory(
            congregation=congregation,
            first_name="Ana",
            email="",
            phone="+18605550101",
            level=Level.PARTICIPANT,
            sms_ok=True,
        )
        duplicate = PersonFactory(
            congregation=other_congregation,
            first_name="Ana",
            email="ana@x.org",
            level=Level.LEADER,
            do_not_contact=True,
        )
        Membership.objects.create(person=duplicate, congregation=congregation, is_primary=False)
        for person in (survivor, duplicate):
            LeadershipChange.objects.create(person=person, to_level=person.level)
        youth, choir = Tag.objects.create(name="youth"), Tag.objects.create(name="choir")
        survivor.tags.add(youth)
        duplicate.tags.add(youth, choir)
        OneOnOneFactory(person=duplicate)
        shared, own = HouseMeetingFactory(), HouseMeetingFactory()
        shared.attendees.add(survivor, duplicate)
        own.attendees.add(duplicate)
        before_survivor, before_duplicate = relation_counts(survivor), relation_counts(duplicate)

        person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)

        assert not Person.objects.filter(pk=duplicate.pk).exists()
        after = relation_counts(survivor)
        event = AuditEvent.objects.get(action="merge")
        dropped = event.detail["dropped"]
        for key, count in after.items():
            label = key.rsplit(".", 1)[0]
            expected = before_survivor[key] + before_duplicate[key] - dropped.get(label, 0)
            if key == "members.LeadershipChange.person":
                expected += 1  # the merge's own move to the higher rung
            assert count == expected, key
        assert after["relationships.OneOnOne.person"] == 1
        assert after["relationships.HouseMeeting.attendees"] == 2  # shared one counted once
        # Memberships: both congregations, one primary (the survivor's), the clash dropped.
        memberships = survivor.memberships.order_by("-is_primary")
        assert [(m.congregation, m.is_primary) for m in memberships] == [
            (congregation, True),
            (other_congregation, False),
        ]
        survivor.refresh_from_db()
        assert survivor.email == "ana@x.org" and survivor.phone == "+18605550101"
        assert survivor.do_not_contact and not survivor.sms_ok  # the stricter consent
        assert survivor.level == Level.LEADER  # the higher rung, with a history row
        assert survivor.ladder_history.count() == 3
        assert set(survivor.tags.values_list("name", flat=True)) == {"youth", "choir"}
        assert event.detail["merged_person_id"] == duplicate.pk and event.actor == admin_user

    def test_two_logins_refuse_to_merge(self, congregation, admin_user):
        first = PersonFactory(user=UserFactory())
        second = PersonFactory(user=UserFactory())
        with pytest.raises(MergeConflict):
            person_merge(survivor=first, duplicate=second, by=admin_user)
        assert Person.objects.filter(pk=second.pk).exists()

    def test_merge_view(self, client, login, lead, congregation):
        first = PersonFactory(congregation=congregation, first_name="Ana", email="a@x.org")
        second = PersonFactory(congregation=congregation, first_name="Anna", email="")
        url = reverse("members:person_merge", args=[first.pk, second.pk])
        login(client, lead)
        assert client.get(url).status_code == 200
        assert client.post(url, {"survivor": "nope"}).status_code == 200  # form error, no 500
        response = client.post(url, {"survivor": second.pk})
        assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
        assert not Person.objects.filter(pk=first.pk).exists()
        second.refresh_from_db()
        assert second.email == "a@x.org"

    def test_merge_view_scope_and_methods(
        self, client, login, lead, congregation, other_congregation
    ):
        mine = PersonFactory(congregation=congregation)
        theirs = PersonFactory(congregation=other_congregation)
        login(client, lead)
        url = reverse("members:person_merge", args=[mine.pk, theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"survivor": mine.pk}).status_code == 404
        assert Person.objects.filter(pk=theirs.pk).exists()
        same = reverse("members:person_merge", args=[mine.pk, mine.pk])
        assert client.get(same).status_code == 404
        assert (
            client.delete(reverse("members:person_merge", args=[mine.pk, mine.pk])).status_code
            == 405
        )


class TestDuplicatesPage:
    def test_lists_pairs_in_scope(self, client, login, lead, congregation, other_congregation):
        PersonFactory(congregation=congregation, first_name="Ana", email="a@x.org")
        PersonFactory(congregation=congregation, first_name="Ana", email="A@x.org")
        PersonFactory(congregation=other_congregation, first_name="Zed", email="z@x.org")
        PersonFactory(congregation=other_congregation, first_name="Zed", email="z@x.org")
        duplicates_refresh()
        body = login(client, lead).get(reverse("members:duplicates")).content.decode()
        assert "same email" in body and "Zed" not in body

    def test_leader_is_refused(self, client, login, leader):
        assert login(client, leader).get(reverse("members:duplicates")).status_code == 403

    def test_query_count_is_flat(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        login(client, organizer)
        for i in range(3):
            PersonFactory.create_batch(2, congregation=congregation, email=f"d{i}@x.org")
        duplicates_refresh()
        with django_assert_max_num_queries(11):  # +1: the user's scope, read once per request
            client.get(reverse("members:duplicates"))
        for i in range(3, 30):
            PersonFactory.create_batch(2, congregation=congregation, email=f"d{i}@x.org")
        duplicates_refresh()
        with django_assert_max_num_queries(11):
            client.get(reverse("members:duplicates"))


class TestNotDuplicate:
    def test_dismissed_pair_is_not_suggested_again(self, client, login, lead, congregation):
        first = PersonFactory(congregation=congregation, first_name="Ana", email="a@x.org")
        second = PersonFactory(congregation=congregation, first_name="Ana", email="A@x.org")
        duplicates_refresh()
        login(client, lead)
        url = reverse("members:duplicate_dismiss", args=[second.pk, first.pk])
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert response.status_code == 302
        body = client.get(reverse("members:duplicates")).content.decode()
        assert "No likely duplicates." in body
        client.post(url)  # twice is harmless
        from members.models import NotDuplicate

        decision = NotDuplicate.objects.get()
        assert (decision.first_id, decision.second_id) == (first.pk, second.pk)
        assert decision.decided_by == lead

    def test_out_of_scope_is_404(self, client, login, lead, congregation, other_congregation):
        mine = PersonFactory(congregation=congregation)
        theirs = PersonFactory(congregation=other_congregation)
        url = reverse("members:duplicate_dismiss", args=[mine.pk, theirs.pk])
        assert login(client, lead).post(url).status_code == 404

    def test_merge_does_not_carry_dismissals(self, congregation, admin_user):
        from members.services import duplicate_dismiss

        a, b, c = PersonFactory.create_batch(3, congregation=congregation)
        duplicate_dismiss(first=a, second=c, by=admin_user)
        person_merge(survivor=b, duplicate=a, by=admin_user)
        from members.models import NotDuplicate

        assert not NotDuplicate.objects.exists()


class TestQueue:
    """Issue 13 item 10: the queue shows the strongest (or newest) pairs first, is scoped and
    filters by congregation; a merge keeps both email addresses."""

    def test_strongest_then_newest_and_newest_order(
        self, client, login, network_organizer, congregation
    ):
        import datetime

        from django.utils import timezone

        old = timezone.now() - datetime.timedelta(days=30)
        # A name-only pair created today, an email pair created a month ago.
        PersonFactory(congregation=congregation, first_name="Lia", last_name="Vega", email="")
        PersonFactory(congregation=congregation, first_name="Lia", last_name="Vega", email="")
        for person in PersonFactory.create_batch(2, congregation=congregation, email="e@x.org"):
            Person.objects.filter(pk=person.pk).update(created_at=old)
        duplicates_refresh()
        login(client, network_organizer)
        body = client.get(reverse("members:duplicates")).content.decode()
        assert body.index("same email") < body.index("same name in the same congregation")
        body = client.get(reverse("members:duplicates"), {"sort": "newest"}).content.decode()
        assert body.index("same name in the same congregation") < body.index("same email")

    def test_congregation_filter_and_scope(
        self, client, login, network_organizer, lead, congregation, other_congregation
    ):
        PersonFactory.create_batch(2, congregation=congregation, first_name="Ana", email="a@x")
        PersonFactory.create_batch(
            2, congregation=other_congregation, first_name="Zed", email="z@x"
        )
        duplicates_refresh()
        url = reverse("members:duplicates")
        login(client, network_organizer)
        assert "Zed" in client.get(url).content.decode()
        body = client.get(url, {"congregation": congregation.pk}).content.decode()
        assert "Ana" in body and "Zed" not in body
        assert client.get(url, {"congregation": "nope", "page": "x"}).status_code == 200
        login(client, lead)  # the lead of `congregation` cannot pick the other one
        body = client.get(url, {"congregation": other_congregation.pk}).content.decode()
        assert "Zed" not in body

    def test_anonymous_and_method(self, client):
        url = reverse("members:duplicates")
        assert client.get(url).status_code == 302
        assert client.post(url).status_code in (302, 405)

    def test_rescan_keeps_dismissed_pairs_off(self, congregation, admin_user):
        from members.models import DuplicatePair
        from members.services import duplicate_dismiss

        first, second = PersonFactory.create_batch(2, congregation=congregation, email="d@x")
        assert duplicates_refresh() == 1
        duplicate_dismiss(first=first, second=second, by=admin_user)
        assert not DuplicatePair.objects.exists()
        assert duplicates_refresh() == 0

    def test_merge_keeps_both_emails(self, congregation, admin_user):
        from members.models import OtherEmail

        survivor = PersonFactory(congregation=congregation, email="ana@home.org")
        duplicate = PersonFactory(congregation=congregation, email="Ana@Work.org")
        OtherEmail.objects.create(person=duplicate, email="ana@old.org")
        OtherEmail.objects.create(person=survivor, email="ana@old.org")
        person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)
        survivor.refresh_from_db()
        assert survivor.email == "ana@home.org"
        assert sorted(survivor.other_emails.values_list("email", flat=True)) == [
            "ana@old.org",
            "ana@work.org",
        ]
        assert AuditEvent.objects.get(action="merge").detail["kept_email"] is True

    def test_merge_of_the_same_email_adds_nothing(self, congregation, admin_user):
        survivor = PersonFactory(congregation=congregation, email="ana@x.org")
        duplicate = PersonFactory(congregation=congregation, email="ANA@x.org")
        person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)
        assert not survivor.other_emails.exists()

    def test_person_page_shows_other_emails(self, client, login, lead, congregation, admin_user):
        survivor = PersonFactory(congregation=congregation, email="ana@home.org")
        duplicate = PersonFactory(congregation=congregation, email="ana@work.org")
        person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)
        body = login(client, lead).get(survivor.get_absolute_url()).content.decode()
        assert "ana@work.org" in body


@pytest.mark.postgres
def test_sql_scan_matches_the_python_rules(congregation, other_congregation):
    """The set-based scan (PostgreSQL) finds exactly the pairs of the reference rules."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQL scan runs on PostgreSQL")
    from members.duplicates import reasons_of
    from members.models import DuplicatePair

    names = [
        ("Ana", "Ruiz", "ANA@x.org", "", "", congregation),
        ("Anita", "Ruiz", "ana@x.org", "", "", congregation),
        ("Tom", "O'Brien", "", "+18605550102", "", congregation),
        ("Thomas", "OBRIEN", "", "+18605550102", "", other_congregation),
        ("María", "Núñez", "", "", "06103", congregation),
        ("maria", "nunez", "", "", "06103-1234", other_congregation),
        ("Jonathan", "Smith", "", "", "", congregation),
        ("Jonathon", "Smith", "", "", "", congregation),
        ("Jonathan", "Smyth", "", "", "", congregation),
        ("Jonathan", "Smith", "", "", "", other_congregation),
        ("Anna", "Ruiz", "", "", "", congregation),
        ("José", "García-López", "", "", "", congregation),
        ("Jose", "Garcia Lopez", "", "", "", congregation),
    ] + [("Common", "Name", "", "", "06105", congregation)] * 7  # too common: no pairs
    for first, last, email, phone, zip_code, where in names:
        PersonFactory(
            congregation=where,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            zip=zip_code,
        )
    expected = {
        (pair.first_id, pair.second_id): pair.reasons
        for pair in find_pairs_among(Person.objects.all())
    }
    assert duplicates_refresh() == len(expected) > 5
    stored = {
        (pair.first_id, pair.second_id): set(reasons_of(pair.reasons))
        for pair in DuplicatePair.objects.all()
    }
    assert stored == expected


@pytest.mark.postgres
def test_sql_scan_matches_the_python_rules_on_a_crowd(congregation, other_congregation):
    """Every kind of pair (email, phone, name and ZIP, same name, similar name: alone and
    together) in a crowd of near-namesakes: the SQL scan finds exactly the reference's pairs,
    and a rescan of an unchanged crowd rewrites none of them."""
    import random

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQL scan runs on PostgreSQL")
    from members.duplicates import reasons_of
    from members.models import DuplicatePair, DuplicateScan

    rng = random.Random(16)
    firsts = ["Ana", "Anna", "Ann", "Jonathan", "Jonathon", "José", "Jose", "Maria", "Mario"]
    lasts = ["Ruiz", "Ruis", "Smith", "Smyth", "Núñez", "Nunez", "O'Brien", "OBrien", "Lee"]
    for _i in range(160):
        PersonFactory(
            congregation=rng.choice([congregation, other_congregation]),
            first_name=rng.choice(firsts),
            last_name=rng.choice(lasts),
            email=rng.choice(["", "", "", f"p{rng.randint(1, 40)}@x.org"]),
            phone=rng.choice(["", "", f"+1860555{rng.randint(100, 140):04d}"]),
            zip=rng.choice(["", "06103", "06105-1234", "06106"]),
        )
    expected = {
        (pair.first_id, pair.second_id): pair.reasons
        for pair in find_pairs_among(Person.objects.all())
    }
    kinds = {reason for reasons in expected.values() for reason in reasons}
    assert kinds == {"email", "phone", "name_zip", "name", "fuzzy"}
    assert duplicates_refresh() == len(expected)
    stored = {
        (pair.first_id, pair.second_id): set(reasons_of(pair.reasons))
        for pair in DuplicatePair.objects.all()
    }
    assert stored == expected
    ids = dict(DuplicatePair.objects.values_list("pk", "found_at"))
    assert duplicates_refresh() == len(expected)
    assert dict(DuplicatePair.objects.values_list("pk", "found_at")) == ids  # nothing rewritten
    assert DuplicateScan.objects.count() == 2


@pytest.mark.postgres
def test_rescan_drops_gone_pairs_and_updates_changed_ones(congregation):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQL scan runs on PostgreSQL")
    from members.models import DuplicatePair

    a = PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", email="a@x")
    b = PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", email="a@x")
    c = PersonFactory(congregation=congregation, first_name="Zoe", email="z@x")
    d = PersonFactory(congregation=congregation, first_name="Yan", email="z@x")
    assert duplicates_refresh() == 2
    Person.objects.filter(pk=b.pk).update(email="b@x")  # still the same name
    Person.objects.filter(pk=d.pk).update(email="")  # no longer a pair
    assert duplicates_refresh() == 1
    pair = DuplicatePair.objects.get()
    assert (pair.first_id, pair.second_id, pair.reasons) == (a.pk, b.pk, 2)
    assert not DuplicatePair.objects.filter(first=c).exists()


def test_queue_says_when_the_last_scan_ran(client, login, lead, congregation):
    url = reverse("members:duplicates")
    assert "No scan yet" in login(client, lead).get(url).content.decode()
    duplicates_refresh()  # no pairs at all: the scan still ran
    assert "Last scan" in client.get(url).content.decode()
