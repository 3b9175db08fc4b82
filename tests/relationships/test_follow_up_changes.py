"""Follow-ups you can run a week on (issue 13, item 1): add one by hand for anyone in scope,
reschedule and reassign within scope, the whole list paged, and a lead's view of their leaders'
overdue follow-ups. Plus the one-on-one form's new person with a phone and email, the default
congregation, and the pickers that tell same-name people apart."""

import datetime

import pytest
from django.urls import reverse

from conect.access import Role
from members.models import Person
from relationships.models import FollowUp
from relationships.selectors import follow_up_owners_for, local_today
from tests.factories import PersonFactory, UserFactory

from .factories import FollowUpFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db
NEW = reverse("relationships:follow_up_new")
LIST = reverse("relationships:follow_up_list")
ROWS = 25


def edit_url(follow_up):
    return reverse("relationships:follow_up_edit", args=[follow_up.pk])


class TestAddByHand:
    def test_add_for_anyone_in_scope_with_any_date_and_note(self, client, login, organizer, member):
        day = local_today() + datetime.timedelta(days=40)
        response = login(client, organizer).post(
            NEW, {"person": member.pk, "due_on": day.isoformat(), "note": "Ask about the job"}
        )
        assert response.status_code == 302
        follow_up = FollowUp.objects.get()
        assert (follow_up.owner, follow_up.person, follow_up.due_on) == (organizer, member, day)
        assert follow_up.note == "Ask about the job" and follow_up.kind == "manual"

    def test_form_from_a_person_page_has_them_chosen(self, client, login, organizer, member):
        html = login(client, organizer).get(f"{NEW}?person={member.pk}").content.decode()
        assert f'value="{member.pk}" checked' in html
        assert (local_today() + datetime.timedelta(days=7)).isoformat() in html

    def test_invalid_input_is_a_form_error(self, client, login, organizer):
        response = login(client, organizer).post(NEW, {"person": "x", "due_on": "soon"})
        assert response.status_code == 200
        assert b"Choose someone from the list." in response.content
        assert not FollowUp.objects.exists()

    def test_someone_outside_scope_is_refused(self, client, login, organizer, stranger):
        day = local_today().isoformat()
        response = login(client, organizer).post(NEW, {"person": stranger.pk, "due_on": day})
        assert response.status_code == 200 and not FollowUp.objects.exists()

    def test_anonymous_and_wrong_method(self, client, login, organizer):
        assert client.get(NEW).status_code == 302
        assert login(client, organizer).delete(NEW).status_code == 405


class TestChange:
    def test_reschedule_and_rewrite(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member)
        day = local_today() + datetime.timedelta(days=3)
        response = login(client, organizer).post(
            edit_url(follow_up), {"due_on": day.isoformat(), "note": "Call", "owner": organizer.pk}
        )
        assert response.status_code == 302
        follow_up.refresh_from_db()
        assert (follow_up.due_on, follow_up.note) == (day, "Call")

    def test_reassign_only_to_someone_who_sees_the_person(
        self, client, login, organizer, lead, member, other_congregation
    ):
        outsider = UserFactory(role=Role.ORGANIZER, congregations=[other_congregation])
        follow_up = FollowUpFactory(owner=organizer, person=member)
        owners = follow_up_owners_for(member)
        assert lead in owners and organizer in owners and outsider not in owners
        client = login(client, organizer)
        day = local_today().isoformat()
        refused = client.post(edit_url(follow_up), {"due_on": day, "owner": outsider.pk})
        assert refused.status_code == 200
        follow_up.refresh_from_db()
        assert follow_up.owner == organizer
        client.post(edit_url(follow_up), {"due_on": day, "owner": lead.pk})
        follow_up.refresh_from_db()
        assert follow_up.owner == lead

    def test_a_leader_who_met_the_person_may_take_it(self, organizer, member, leader):
        OneOnOneFactory(author=leader, person=member)
        assert leader in follow_up_owners_for(member)

    def test_someone_elses_follow_up_is_404(self, client, login, organizer, stranger):
        follow_up = FollowUpFactory(person=stranger)
        assert login(client, organizer).get(edit_url(follow_up)).status_code == 404

    def test_done_follow_up_is_403(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member, done_at="2026-11-01T10:00Z")
        assert login(client, organizer).get(edit_url(follow_up)).status_code == 403

    def test_anonymous_and_wrong_method(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member)
        assert client.get(edit_url(follow_up)).status_code == 302
        assert login(client, organizer).put(edit_url(follow_up)).status_code == 405


class TestWholeList:
    def test_later_link_opens_every_open_follow_up_paged(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        later = local_today() + datetime.timedelta(days=30)
        for _n in range(55):
            FollowUpFactory(
                owner=organizer, person=PersonFactory(congregation=congregation), due_on=later
            )
        client = login(client, organizer)
        assert b"55 more follow-ups later." in client.get(LIST).content
        with django_assert_max_num_queries(12):
            first = client.get(f"{LIST}?show=all")
        assert first.content.decode().count('class="followup-row"') == 50
        assert b"1 / 2" in first.content
        second = client.get(f"{LIST}?show=all&page=2").content.decode()
        assert second.count('class="followup-row"') == 5


class TestLeadersOverdue:
    def test_a_lead_sees_their_leaders_overdue_follow_ups(
        self, client, login, lead, leader, member, stranger, other_congregation
    ):
        late = local_today() - datetime.timedelta(days=4)
        mine = FollowUpFactory(owner=leader, person=member, due_on=late, note="Call Maria")
        FollowUpFactory(
            owner=leader, person=member, due_on=local_today() + datetime.timedelta(days=2)
        )
        other_leader = UserFactory(role=Role.LEADER)
        PersonFactory(user=other_leader, congregation=other_congregation)
        FollowUpFactory(owner=other_leader, person=stranger, due_on=late, note="Not yours")
        html = login(client, lead).get(LIST).content.decode()
        assert "Call Maria" in html and "4 days late" in html
        assert "Not yours" not in html
        # The lead may reschedule or reassign it; the other leader's is out of scope.
        assert client.get(edit_url(mine)).status_code == 200
        theirs = FollowUp.objects.get(note="Not yours")
        assert client.get(edit_url(theirs)).status_code == 404

    def test_a_leader_sees_no_such_section(self, client, login, leader):
        html = login(client, leader).get(LIST).content.decode()
        assert "leaders-overdue" not in html

    def test_query_count_does_not_grow(
        self, client, login, lead, congregation, django_assert_max_num_queries
    ):
        late = local_today() - datetime.timedelta(days=2)
        for _n in range(ROWS):
            user = UserFactory(role=Role.LEADER)
            PersonFactory(user=user, congregation=congregation)
            FollowUpFactory(
                owner=user, person=PersonFactory(congregation=congregation), due_on=late
            )
        with django_assert_max_num_queries(23):
            html = login(client, lead).get(LIST).content.decode()
        assert f"{ROWS} in all" in html


class TestOneOnOneNewPerson:
    def test_new_person_gets_a_phone_and_an_email(self, client, login, organizer, congregation):
        response = login(client, organizer).post(
            reverse("relationships:one_on_one_new"),
            {
                "person": "new",
                "new_first_name": "Rosa",
                "new_last_name": "Delgado",
                "new_congregation": congregation.pk,
                "new_phone": "(860) 555-0123",
                "new_email": "Rosa@Example.org",
                "held_on": local_today().isoformat(),
            },
        )
        assert response.status_code == 302
        rosa = Person.objects.get(first_name="Rosa")
        assert (rosa.phone, rosa.email) == ("+18605550123", "rosa@example.org")

    def test_a_bad_phone_keeps_everything_typed(self, client, login, organizer, congregation):
        response = login(client, organizer).post(
            reverse("relationships:one_on_one_new"),
            {
                "person": "new",
                "new_first_name": "Rosa",
                "new_congregation": congregation.pk,
                "new_phone": "12",
                "held_on": local_today().isoformat(),
            },
        )
        assert response.status_code == 200
        assert b"Enter a phone number" in response.content and b'value="Rosa"' in response.content

    def test_organizers_own_congregation_is_preselected(
        self, client, login, congregation, other_congregation
    ):
        organizer = UserFactory(
            role=Role.ORGANIZER, congregations=[congregation, other_congregation]
        )
        PersonFactory(user=organizer, congregation=other_congregation)
        html = login(client, organizer).get(reverse("relationships:one_on_one_new")).content
        assert f'<option value="{other_congregation.pk}" selected>'.encode() in html


def test_pickers_tell_same_name_people_apart(client, login, organizer, congregation):
    PersonFactory(
        congregation=congregation,
        first_name="Ana",
        last_name="Ruiz",
        town="Hartford",
        phone="+18605550111",
    )
    PersonFactory(
        congregation=congregation,
        first_name="Ana",
        last_name="Ruiz",
        town="Bristol",
        phone="+18605550222",
        level="leader",
    )
    html = (
        login(client, organizer)
        .get(reverse("relationships:person_search"), {"q": "ana ruiz"})
        .content.decode()
    )
    assert "Hartford" in html and "Bristol" in html
    assert "…0111" in html and "…0222" in html and "Leader" in html


def test_picker_for_a_team_offers_leaders_as_checkboxes(client, login, organizer, congregation):
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", level="leader")
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Rivera", level="member")
    html = (
        login(client, organizer)
        .get(
            reverse("relationships:person_search"),
            {"q": "ana", "multi": "1", "name": "leaders", "levels": "leaders"},
        )
        .content.decode()
    )
    assert 'type="checkbox" name="leaders"' in html
    assert "Ruiz" in html and "Rivera" not in html and "New person" not in html


def test_a_persons_timeline_panel_offers_a_follow_up_for_them(client, login, organizer, member):
    html = login(client, organizer).get(reverse("home:person_practice", args=[member.pk]))
    assert f"{NEW}?person={member.pk}" in html.content.decode()


def test_the_menu_links_the_one_on_one_and_house_meeting_lists(client, login, leader):
    html = login(client, leader).get(LIST).content.decode()
    assert f'href="{reverse("relationships:one_on_one_list")}"' in html
    assert f'href="{reverse("relationships:house_meeting_list")}"' in html
