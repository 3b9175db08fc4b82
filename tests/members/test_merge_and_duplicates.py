"""Duplicate candidates, and merging two people without losing a single related record."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from congregations.models import Membership
from members.duplicates import find_pairs, find_pairs_among
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
        with django_assert_max_num_queries(11):  # +1: the user's scope, read once per request
            client.get(reverse("members:duplicates"))
        for i in range(3, 30):
            PersonFactory.create_batch(2, congregation=congregation, email=f"d{i}@x.org")
        with django_assert_max_num_queries(11):
            client.get(reverse("members:duplicates"))


class TestNotDuplicate:
    def test_dismissed_pair_is_not_suggested_again(self, client, login, lead, congregation):
        first = PersonFactory(congregation=congregation, first_name="Ana", email="a@x.org")
        second = PersonFactory(congregation=congregation, first_name="Ana", email="A@x.org")
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
