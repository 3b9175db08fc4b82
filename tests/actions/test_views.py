"""Action pages: list, detail, pledge, invite, evaluation, calendar, reports — per DESIGN's view
checklist (happy path, invalid input, another congregation's object, anonymous, wrong method)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Attendance, Evaluation, TurnoutPledge
from congregations.models import Membership, Tradition
from members.models import Person
from tests.campaigns.factories import (
    ActionFactory,
    AttendanceFactory,
    CommitmentFactory,
    DoorOpenActionFactory,
    PledgeFactory,
    TargetFactory,
)
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def urls(action):
    return {
        "list": reverse("actions:list"),
        "detail": action.get_absolute_url(),
        "check_in": reverse("actions:check_in", args=[action.pk]),
        "reports": reverse("actions:reports"),
        "calendar": reverse("actions:calendar"),
    }


@pytest.mark.parametrize("name", ["list", "detail", "check_in", "reports", "calendar"])
def test_anonymous_is_sent_to_login(client, action, name):
    response = client.get(urls(action)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["list", "detail", "check_in", "reports"])
def test_wrong_method_is_405(client, login, organizer, action, name):
    assert login(client, organizer).post(urls(action)[name]).status_code == 405


def test_pledge_wrong_method_is_405(client, login, lead, action):
    assert login(client, lead).get(reverse("actions:pledge", args=[action.pk])).status_code == 405


def test_unknown_action_is_404(client, login, lead):
    assert login(client, lead).get("/actions/999999/").status_code == 404


def test_list_shows_upcoming_to_every_role(client, login, leader, action):
    body = login(client, leader).get(reverse("actions:list")).content.decode()
    assert action.title in body


def test_list_query_count_is_flat(client, login, organizer, django_assert_max_num_queries):
    login(client, organizer)
    ActionFactory.create_batch(3)
    with django_assert_max_num_queries(10):
        client.get(reverse("actions:list"))
    ActionFactory.create_batch(30)
    for _ in range(30):
        ActionFactory(starts_at=timezone.now() - datetime.timedelta(days=40))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("actions:list")).status_code == 200


def test_detail_shows_only_my_congregations_turnout(
    client, login, lead, action, congregation, other_congregation
):
    PledgeFactory(action=action, congregation=congregation, pledged=40)
    PledgeFactory(action=action, congregation=other_congregation, pledged=77)
    body = login(client, lead).get(action.get_absolute_url()).content.decode()
    assert "St. Mark" in body and "Temple Sinai" not in body
    assert "<svg" in body and "pledged 117" in body  # network total, no per-congregation leak
    assert "<script>" not in body.split("</main>")[0]  # no inline scripts


def test_evaluation_banner_until_group_evaluation(client, login, organizer, past_action):
    login(client, organizer)
    assert "Group evaluation due" in client.get(past_action.get_absolute_url()).content.decode()
    group = Evaluation.objects.create(
        action=past_action, kind="group", held_on=timezone.localdate()
    )
    body = client.get(past_action.get_absolute_url()).content.decode()
    # Its return to relationships has not run yet: the page asks again until it has.
    assert "Group evaluation due" not in body and 'hx-trigger="every 2s"' in body
    group.followups_done_at = timezone.now()
    group.save()
    body = client.get(past_action.get_absolute_url()).content.decode()
    assert "Follow-ups created for 0" in body and "every 2s" not in body


def test_lead_pledges_for_own_congregation(client, login, lead, action, congregation):
    url = reverse("actions:pledge", args=[action.pk])
    login(client, lead).post(url, {"congregation": congregation.pk, "pledged": 40})
    client.post(url, {"congregation": congregation.pk, "pledged": 45})
    (pledge,) = TurnoutPledge.objects.all()
    assert (pledge.congregation, pledge.pledged, pledge.pledged_by) == (congregation, 45, lead)


def test_lead_cannot_pledge_for_another_congregation(
    client, login, lead, action, other_congregation
):
    response = login(client, lead).post(
        reverse("actions:pledge", args=[action.pk]),
        {"congregation": other_congregation.pk, "pledged": 40},
    )
    assert response.status_code == 302
    assert not TurnoutPledge.objects.exists()


def test_invalid_pledge_is_refused_without_500(client, login, lead, action, congregation):
    response = login(client, lead).post(
        reverse("actions:pledge", args=[action.pk]),
        {"congregation": congregation.pk, "pledged": "-3"},
        follow=True,
    )
    assert response.status_code == 200
    assert "not recorded" in response.content.decode()
    assert not TurnoutPledge.objects.exists()


def test_leader_cannot_pledge(client, login, leader, action, congregation):
    response = login(client, leader).post(
        reverse("actions:pledge", args=[action.pk]), {"congregation": congregation.pk, "pledged": 5}
    )
    assert response.status_code == 403  # the action is in sight; pledging is not a leader's
    assert not TurnoutPledge.objects.exists()


def test_leader_cannot_invite(client, login, leader, action, congregation):
    login(client, leader)
    assert client.get(reverse("actions:invite", args=[action.pk])).status_code == 403
    response = client.post(
        reverse("actions:invite", args=[action.pk]), {"congregation": congregation.pk}
    )
    assert response.status_code == 403 and not Attendance.objects.exists()


def test_leader_posting_an_rsvp_is_refused(client, login, leader, action, other_congregation):
    me = Person.objects.get(user=leader)
    stranger = PersonFactory(congregation=other_congregation)
    login(client, leader)
    mine = reverse("actions:rsvp", args=[action.pk, me.pk])
    assert client.post(mine, {"rsvp": "yes"}).status_code == 403  # in sight, not theirs to do
    theirs = reverse("actions:rsvp", args=[action.pk, stranger.pk])
    assert client.post(theirs, {"rsvp": "yes"}).status_code == 404  # out of sight
    assert not Attendance.objects.exists()


def test_rsvp_for_an_unknown_action_is_404(client, login, lead, congregation):
    person = PersonFactory(congregation=congregation)
    url = reverse("actions:rsvp", args=[999999, person.pk])
    assert login(client, lead).post(url, {"rsvp": "yes"}).status_code == 404


def test_invite_by_congregation_and_ladder(
    client, login, lead, action, congregation, other_congregation
):
    keen = PersonFactory(congregation=congregation, level="leader")
    PersonFactory(congregation=congregation, level="member")
    PersonFactory(congregation=other_congregation, level="leader")
    response = login(client, lead).post(
        reverse("actions:invite", args=[action.pk]),
        {"congregation": congregation.pk, "level": "leader"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("person", "rsvp", "congregation", "invited_by")) == [
        (keen.pk, "invited", congregation.pk, lead.pk)
    ]


def test_invite_needs_the_inviting_congregation(client, login, lead, action):
    response = login(client, lead).post(reverse("actions:invite", args=[action.pk]), {})
    assert response.status_code == 200 and response.context["form"].errors["congregation"]
    assert not Attendance.objects.exists()


def test_invite_form_has_a_lead_s_one_congregation_chosen(
    client, login, lead, action, congregation
):
    form = login(client, lead).get(reverse("actions:invite", args=[action.pk])).context["form"]
    assert form["congregation"].value() == congregation.pk


def test_yes_counts_for_the_congregation_that_invited(
    client, login, lead, action, congregation, other_congregation
):
    """Someone in two congregations invited by St. Mark's who says yes is St. Mark's turnout,
    not their home congregation's (issue 13, item 3)."""
    ana = PersonFactory(first_name="Ana", congregation=other_congregation)  # home: Temple Sinai
    Membership.objects.create(person=ana, congregation=congregation, is_primary=False)
    login(client, lead)
    client.post(reverse("actions:invite", args=[action.pk]), {"congregation": congregation.pk})
    client.post(reverse("actions:rsvp", args=[action.pk, ana.pk]), {"rsvp": "yes"})
    attendance = Attendance.objects.get(person=ana)
    assert (attendance.congregation, attendance.invited_by, attendance.rsvp) == (
        congregation,
        lead,
        "yes",
    )
    rows = client.get(action.get_absolute_url()).context["turnout"]["rows"]
    assert [(r["congregation"], r["rsvp"]) for r in rows] == [(congregation, 1)]


def test_invite_cannot_reach_other_congregation(client, login, lead, action, other_congregation):
    PersonFactory(congregation=other_congregation)
    response = login(client, lead).post(
        reverse("actions:invite", args=[action.pk]), {"congregation": other_congregation.pk}
    )
    assert response.status_code == 200  # not a valid choice for this lead
    assert not Attendance.objects.exists()


def test_group_evaluation_form_prefills_turnout(
    client, login, organizer, past_action, congregation
):
    for person in PersonFactory.create_batch(3, congregation=congregation):
        AttendanceFactory(action=past_action, person=person, checked_in_at=timezone.now())
    CommitmentFactory(
        action=past_action, target=TargetFactory(name="Mayor Rivera"), ask="Fund it", answer="yes"
    )
    url = reverse("actions:evaluate", args=[past_action.pk]) + "?kind=group"
    body = login(client, organizer).get(url).content.decode()
    assert 'name="turnout" value="3"' in body
    assert "Mayor Rivera: Yes — Fund it" in body


def test_group_evaluation_records_and_rejects_future_dates(client, login, organizer, past_action):
    url = reverse("actions:evaluate", args=[past_action.pk])
    login(client, organizer)
    data = {
        "kind": "group",
        "turnout": 3,
        "what_worked": "Stories",
        "what_to_change": "Start on time",
    }
    bad = client.post(url, {**data, "held_on": (timezone.localdate() + datetime.timedelta(days=3))})
    assert bad.status_code == 200 and not Evaluation.objects.exists()
    good = client.post(url, {**data, "held_on": timezone.localdate()})
    assert good.status_code == 302
    assert Evaluation.objects.get().kind == "group"
    again = client.post(url, {**data, "held_on": timezone.localdate()})
    assert again.status_code == 200 and Evaluation.objects.count() == 1


def test_lead_cannot_evaluate(client, login, lead, past_action):
    response = login(client, lead).get(reverse("actions:evaluate", args=[past_action.pk]))
    assert response.status_code == 403


def test_congregation_turnout_partial(
    client, login, lead, past_action, congregation, other_congregation
):
    PledgeFactory(action=past_action, congregation=congregation, pledged=12)
    login(client, lead)
    ok = client.get(reverse("actions:congregation_turnout", args=[congregation.slug]))
    assert ok.status_code == 200 and "<svg" in ok.content.decode()
    other = client.get(reverse("actions:congregation_turnout", args=[other_congregation.slug]))
    assert other.status_code == 404


def test_congregation_page_loads_the_partial(client, login, lead, congregation):
    body = login(client, lead).get(congregation.get_absolute_url()).content.decode()
    assert reverse("actions:congregation_turnout", args=[congregation.slug]) in body


def test_reports_and_csv(client, login, organizer, past_action, congregation):
    PledgeFactory(action=past_action, congregation=congregation, pledged=12)
    login(client, organizer)
    assert "<svg" in client.get(reverse("actions:reports")).content.decode()
    for name in ["turnout", "commitments", "stages"]:
        response = client.get(reverse("actions:report_csv", args=[name]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    csv = client.get(reverse("actions:report_csv", args=["turnout"])).content.decode()
    assert "St. Mark" in csv and ",12," in csv
    assert client.get("/actions/reports/nope.csv").status_code == 404


def test_schedule_action_warns_but_does_not_block(client, login, organizer, congregation):
    masjid = CongregationFactory(name="Masjid Al-Noor", tradition=Tradition.MUSLIM)
    data = {
        "kind": "assembly",
        "title": "Friday lunch rally",
        "place": "Capitol",
        "starts_at": "2026-03-13T12:30",
        "ends_at": "2026-03-13T13:30",
        "turnout_goal": 100,
        "congregations": [congregation.pk, masjid.pk],
    }
    login(client, organizer)
    preview = client.get(reverse("actions:warnings"), data).content.decode()
    assert "Jumu" in preview and "Masjid Al-Noor" in preview
    response = client.post(reverse("actions:create"), data, follow=True)
    assert response.status_code == 200
    assert "Masjid Al-Noor" in response.content.decode()


def test_schedule_action_invalid_input(client, login, organizer):
    data = {
        "kind": "assembly",
        "title": "x",
        "place": "y",
        "starts_at": "2026-03-13T12:30",
        "ends_at": "2026-03-13T10:30",
        "turnout_goal": 1,
    }
    response = login(client, organizer).post(reverse("actions:create"), data)
    assert response.status_code == 200 and "cannot end before" in response.content.decode()


def test_lead_cannot_schedule(client, login, lead):
    assert login(client, lead).get(reverse("actions:create")).status_code == 403


def test_detail_query_count_does_not_grow_with_attendees(
    client, login, organizer, action, congregation, django_assert_max_num_queries
):
    PledgeFactory(action=action, congregation=congregation, pledged=100)
    login(client, organizer)

    def attend(n):
        for person in PersonFactory.create_batch(n, congregation=congregation):
            AttendanceFactory(
                action=action,
                person=person,
                congregation=congregation,
                checked_in_at=timezone.now(),
            )

    attend(3)
    # +1: the user's scope, read once per request; +1: whether the action involves them
    with django_assert_max_num_queries(17):
        client.get(action.get_absolute_url())
    attend(60)
    with django_assert_max_num_queries(17):
        assert "here 63" in client.get(action.get_absolute_url()).content.decode()


def test_invitees_listed_and_rsvp_recorded(
    client, login, lead, action, congregation, other_congregation
):
    mine = PersonFactory(first_name="Gloria", congregation=congregation)
    theirs = PersonFactory(first_name="Zebulon", congregation=other_congregation)
    Attendance.objects.create(action=action, person=mine, congregation=congregation)
    Attendance.objects.create(action=action, person=theirs, congregation=other_congregation)
    login(client, lead)
    body = client.get(reverse("actions:invite", args=[action.pk])).content.decode()
    assert "Gloria" in body and "Zebulon" not in body
    url = reverse("actions:rsvp", args=[action.pk, mine.pk])
    response = client.post(url, {"rsvp": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Yes" in response.content.decode()
    assert Attendance.objects.get(person=mine).rsvp == "yes"
    assert client.post(url, {"rsvp": "bogus"}).status_code == 400
    assert client.get(url).status_code == 405
    other = reverse("actions:rsvp", args=[action.pk, theirs.pk])
    assert client.post(other, {"rsvp": "no"}).status_code == 404
    assert Attendance.objects.get(person=theirs).rsvp == "invited"


def test_invite_page_filters_those_with_no_answer_yet(client, login, lead, action, congregation):
    waiting = PersonFactory(first_name="Wanda", congregation=congregation)
    answered = PersonFactory(first_name="Yolanda", congregation=congregation)
    Attendance.objects.create(action=action, person=waiting, congregation=congregation)
    Attendance.objects.create(action=action, person=answered, congregation=congregation, rsvp="yes")
    url = reverse("actions:invite", args=[action.pk])
    body = login(client, lead).get(url, {"rsvp": "invited"}).content.decode()
    assert "Wanda" in body and "Yolanda" not in body
    assert "Yolanda" in client.get(url, {"rsvp": "bogus"}).content.decode()  # ignored


def test_invite_page_query_count_is_flat(
    client, login, organizer, action, congregation, django_assert_max_num_queries
):
    login(client, organizer)
    for person in PersonFactory.create_batch(3, congregation=congregation):
        Attendance.objects.create(action=action, person=person, congregation=congregation)
    with django_assert_max_num_queries(10):
        client.get(reverse("actions:invite", args=[action.pk]))
    for person in PersonFactory.create_batch(40, congregation=congregation):
        Attendance.objects.create(action=action, person=person, congregation=congregation)
    with django_assert_max_num_queries(10):
        client.get(reverse("actions:invite", args=[action.pk]))


def test_pages_speak_spanish(client, login, lead, action, congregation):
    login(client, lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    door = DoorOpenActionFactory(congregations=[congregation])
    body = client.get(reverse("actions:check_in", args=[door.pk])).content.decode()
    assert "Agregar y registrar" in body and "Buscar nombre" in body
    assert "Comprometer asistencia" in client.get(action.get_absolute_url()).content.decode()
    assert "Ninguna en esta etapa." in client.get("/campaigns/").content.decode()


def test_reschedule_an_action(client, login, organizer, action, congregation):
    url = reverse("actions:edit", args=[action.pk])
    login(client, organizer)
    page = client.get(url).content.decode()
    assert action.title in page
    data = {
        "kind": "assembly",
        "title": "Moved assembly",
        "place": "Capitol",
        "starts_at": "2026-03-14T10:00",
        "ends_at": "2026-03-14T12:00",
        "turnout_goal": 100,
        "congregations": [congregation.pk],
    }
    response = client.post(url, data, follow=True)
    action.refresh_from_db()
    assert action.title == "Moved assembly" and action.starts_at.day == 14
    assert "Shabbat" in response.content.decode()  # a warning, and saved all the same
    bad = client.post(url, {**data, "ends_at": "2026-03-14T09:00"})
    assert bad.status_code == 200 and "cannot end before" in bad.content.decode()


def test_lead_cannot_change_an_action(client, login, lead, action):
    assert login(client, lead).get(reverse("actions:edit", args=[action.pk])).status_code == 403


def test_changing_or_evaluating_an_unknown_action_is_404(client, login, organizer):
    login(client, organizer)
    assert client.get(reverse("actions:edit", args=[999999])).status_code == 404
    assert client.get(reverse("actions:evaluate", args=[999999])).status_code == 404
