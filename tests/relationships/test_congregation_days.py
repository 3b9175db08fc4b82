"""The congregations' day tallies (issue 16, Must 3): the lead's twelve weeks and the
congregation list's last 30 days add up `CongregationDay` rows instead of counting every
one-on-one held with the congregation's people. Every write path keeps them equal to counting
the meetings, with the scope `one_on_ones_visible_to` has always had."""

import datetime
import random

import pytest
from django.urls import reverse

from conect.access import Role
from members.services import person_delete
from relationships import services
from relationships.dashboard import congregation_week
from relationships.models import CongregationDay, OneOnOne
from relationships.selectors import (
    local_today,
    one_on_ones_by_congregation,
    one_on_ones_per_day,
    one_on_ones_visible_to,
    weekly_counts,
    weekly_counts_in_scope,
)
from relationships.tallies import one_on_one_counted, tallies_rebuild
from tests.factories import CongregationFactory, PersonFactory, UserFactory

from .factories import OneOnOneFactory


def _days() -> dict:
    return {(d.congregation_id, d.day): d.one_on_ones for d in CongregationDay.objects.all()}


def _counted() -> dict:
    """What the day tallies should hold: the meetings, counted."""
    cells: dict = {}
    for meeting in OneOnOne.objects.exclude(congregation=None):
        key = (meeting.congregation_id, meeting.held_on)
        cells[key] = cells.get(key, 0) + 1
    return cells


def _exact_by_congregation(user, ids, days=30) -> dict[int, int]:
    """The congregation list's column as it was counted before the tallies."""
    since = local_today() - datetime.timedelta(days=days)
    meetings = one_on_ones_visible_to(user).filter(congregation_id__in=ids, held_on__gte=since)
    found: dict[int, int] = {}
    for meeting in meetings:
        found[meeting.congregation_id] = found.get(meeting.congregation_id, 0) + 1
    return found


def test_logged_moved_and_deleted_show_in_the_lead_week_and_the_list(
    client, login, lead, organizer, admin_user, congregation
):
    today = local_today()
    person = PersonFactory(congregation=congregation)
    meeting = services.one_on_one_log(by=organizer, person=person, held_on=today)
    assert congregation_week(lead)["week_count"] == 1
    assert one_on_ones_by_congregation(organizer, [congregation.pk]) == {congregation.pk: 1}
    assert _days() == {(congregation.pk, today): 1}

    # An admin moves it back 60 days: out of this week and of the last 30 days.
    login(client, admin_user)
    url = f"/admin/relationships/oneonone/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "issues"}
    moved = today - datetime.timedelta(days=60)
    data.update(held_on=moved.isoformat(), author=meeting.author_id, person=person.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _days() == {(congregation.pk, moved): 1}
    assert congregation_week(lead)["week_count"] == 0
    assert one_on_ones_by_congregation(organizer, [congregation.pk]) == {}
    # Back into the twelve weeks, three weeks ago: the sparkline's bar moves with it.
    data.update(held_on=(today - datetime.timedelta(weeks=3)).isoformat())
    assert client.post(url, data).status_code == 302
    weeks = congregation_week(lead)["weeks"]
    assert sum(weeks) == 1 and weeks[-4] == 1

    client.post(f"/admin/relationships/oneonone/{meeting.pk}/delete/", {"post": "yes"})
    assert not CongregationDay.objects.exists()
    assert sum(congregation_week(lead)["weeks"]) == 0


def test_the_lead_home_and_the_list_show_a_logged_one_on_one(
    client, login, lead, organizer, congregation
):
    person = PersonFactory(congregation=congregation)
    services.one_on_one_log(by=organizer, person=person, held_on=local_today())
    html = login(client, lead).get(reverse("home")).content.decode()
    assert 'data-testid="week-count">1<' in html
    html = login(client, organizer).get(reverse("congregations:list")).content.decode()
    assert "1 one-on-one in the last 30 days" in html


def test_erasing_a_person_recounts_their_days(admin_user, lead, congregation):
    person = PersonFactory(congregation=congregation)
    OneOnOneFactory(person=person, congregation=congregation, held_on=local_today())
    assert congregation_week(lead)["week_count"] == 1
    person_delete(person=person, by=admin_user, reason="privacy request")
    assert not CongregationDay.objects.exists()
    assert congregation_week(lead)["week_count"] == 0


def test_the_week_reads_the_tallies_not_the_meetings(lead, congregation):
    """A write behind the services' back shows once beat's rebuild has counted it: the page
    adds up the day tallies (counting the meetings would have shown it at once)."""
    person = PersonFactory(congregation=congregation)
    OneOnOne.objects.create(
        author=UserFactory(), person=person, congregation=congregation, held_on=local_today()
    )
    assert congregation_week(lead)["week_count"] == 0
    tallies_rebuild()
    assert congregation_week(lead)["week_count"] == 1


@pytest.mark.parametrize("role", ["network", "organizer", "lead", "leader"])
def test_tallies_kept_and_rebuilt_equal_counting_the_meetings(db, role):
    """Random one-on-ones over two congregations and none, logged, moved and deleted the way the
    services and the admin do: the kept days equal the rebuilt ones and counting the meetings,
    and the week and the 30-day column equal the exact counts of `one_on_ones_visible_to`."""
    rng = random.Random(16)
    ours, theirs = CongregationFactory(), CongregationFactory()
    user = {
        "network": lambda: UserFactory(role=Role.ORGANIZER, network_wide=True),
        "organizer": lambda: UserFactory(role=Role.ORGANIZER, congregations=[ours]),
        "lead": lambda: UserFactory(role=Role.LEAD, congregations=[ours]),
        "leader": lambda: UserFactory(role=Role.LEADER),
    }[role]()
    today = local_today()
    people = [PersonFactory(congregation=rng.choice([ours, theirs])) for _ in range(6)]
    meetings = [
        OneOnOneFactory(
            author=user if rng.random() < 0.3 else UserFactory(),
            person=rng.choice(people),
            congregation=rng.choice([ours, theirs, None]),
            held_on=today - datetime.timedelta(days=rng.randrange(120)),
        )
        for _ in range(50)
    ]
    for meeting in rng.sample(meetings, 10):  # moved, as the admin moves them
        before = OneOnOne.objects.get(pk=meeting.pk)
        meeting.held_on = today - datetime.timedelta(days=rng.randrange(120))
        meeting.congregation = rng.choice([ours, theirs, None])
        meeting.save()
        one_on_one_counted(meeting, before=before)
    for meeting in rng.sample(meetings, 5):
        meeting.delete()  # the erase path: the post_delete signal recounts its day
    kept = _days()
    assert kept == _counted() != {}
    tallies_rebuild()
    assert _days() == kept

    exact = weekly_counts(one_on_ones_visible_to(user).order_by(), today)
    assert weekly_counts_in_scope(user, today) == exact
    assert sum(exact) > 0
    ids = [ours.pk, theirs.pk]
    assert one_on_ones_by_congregation(user, ids) == _exact_by_congregation(user, ids)
    since = today - datetime.timedelta(days=90)
    per_day = one_on_ones_per_day(user, since)
    assert sum(per_day.values()) == one_on_ones_visible_to(user).filter(held_on__gte=since).count()


def test_rebuild_writes_nothing_when_nothing_changed(congregation):
    OneOnOneFactory(congregation=congregation)
    tallies_rebuild()
    before = list(CongregationDay.objects.values_list())
    tallies_rebuild()
    assert list(CongregationDay.objects.values_list()) == before
