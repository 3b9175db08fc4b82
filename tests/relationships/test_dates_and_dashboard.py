"""Due dates are America/New_York calendar dates (across DST), and the home page numbers match
hand counts with a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from conect.access import Role
from members.models import Level, Person
from members.selectors import people_visible_to
from relationships.dashboard import congregation_week, relational_week, sparkline
from relationships.ladder import suggest_next_level
from relationships.models import Potential, WeeklyTarget
from relationships.selectors import (
    follow_up_buckets,
    follow_ups_open,
    local_today,
    people_without_one_on_one_since,
)
from tests.factories import PersonFactory, UserFactory

from .factories import FollowUpFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("utc_now", "local"),
    [
        ("2026-03-08 04:59:00", D(2026, 3, 7)),  # 23:59 EST, the night before spring-forward
        ("2026-03-08 05:00:00", D(2026, 3, 8)),  # 00:00 EST
        ("2026-03-09 03:59:00", D(2026, 3, 8)),  # 23:59 EDT (offset now -4)
        ("2026-03-09 04:00:00", D(2026, 3, 9)),
        ("2026-11-01 03:59:00", D(2026, 10, 31)),  # 23:59 EDT before fall-back
        ("2026-11-02 04:59:00", D(2026, 11, 1)),  # 23:59 EST after fall-back
        ("2026-11-02 05:00:00", D(2026, 11, 2)),
    ],
)
def test_local_today_follows_new_york_across_dst(utc_now, local):
    with freeze_time(utc_now):
        assert local_today() == local


def test_due_today_overdue_and_week_across_spring_forward(organizer):
    due = {
        "yesterday": D(2026, 3, 7),
        "today": D(2026, 3, 8),
        "week": D(2026, 3, 15),
        "later": D(2026, 3, 16),
    }
    for day in due.values():
        FollowUpFactory(owner=organizer, due_on=day)
    # 23:30 on March 8 in New York (EDT) is already March 9 in UTC: still "today" locally.
    with freeze_time("2026-03-09 03:30:00"):
        buckets = follow_up_buckets(follow_ups_open(organizer), local_today())
    assert [f.due_on for f in buckets["overdue"]] == [due["yesterday"]]
    assert [f.due_on for f in buckets["today"]] == [due["today"]]
    assert [f.due_on for f in buckets["week"]] == [due["week"]]
    assert [f.due_on for f in buckets["later"]] == [due["later"]]
    # One hour later locally it is March 9: yesterday's is now 2 days late.
    with freeze_time("2026-03-09 04:30:00"):
        buckets = follow_up_buckets(follow_ups_open(organizer), local_today())
    assert [(f.due_on, f.days_late) for f in buckets["overdue"]] == [
        (D(2026, 3, 7), 2),
        (D(2026, 3, 8), 1),
    ]


def test_follow_up_in_one_week_across_fall_back_is_seven_calendar_days(
    client, login, organizer, member
):
    with freeze_time("2026-10-31 20:00:00"):
        login(client, organizer).post(
            reverse("relationships:one_on_one_new"),
            {"person": member.pk, "held_on": "2026-10-31", "follow_up": "1w"},
        )
    follow_up = follow_ups_open(organizer).get()
    assert follow_up.due_on == D(2026, 11, 7)
    with freeze_time("2026-11-08 04:30:00"):  # 23:30 EST on Nov 7
        buckets = follow_up_buckets(follow_ups_open(organizer), local_today())
    assert buckets["today"] == [follow_up]


class TestDashboard:
    TODAY = D(2026, 11, 25)  # a Wednesday; the week starts Monday the 23rd

    def make_week(self, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        for day in (23, 24, 25):  # this week: 3
            OneOnOneFactory(author=organizer, person=person, held_on=D(2026, 11, day))
        OneOnOneFactory(author=organizer, person=person, held_on=D(2026, 11, 22))  # last week
        OneOnOneFactory(author=organizer, person=person, held_on=D(2026, 9, 1))  # 13 weeks ago
        OneOnOneFactory(person=person, held_on=D(2026, 11, 24))  # someone else's
        return person

    def test_week_counts_against_hand_counts(self, organizer, congregation):
        self.make_week(organizer, congregation)
        week = relational_week(organizer, people_visible_to(organizer), today=self.TODAY)
        assert week["week_count"] == 3 and week["target"] == 10
        assert week["weeks"][-2:] == [1, 3] and sum(week["weeks"]) == 4
        assert len(week["spark"]) == 12

    def test_per_user_target_and_leader_default(self, organizer, leader):
        WeeklyTarget.objects.create(user=organizer, one_on_ones=15)
        assert relational_week(organizer, people_visible_to(organizer))["target"] == 15
        assert relational_week(leader, people_visible_to(leader))["target"] == 2

    def test_going_cold_and_rising(self, organizer, congregation):
        cold = PersonFactory(congregation=congregation, level=Level.LEADER, first_name="Cold")
        warm = PersonFactory(congregation=congregation, level=Level.CORE_TEAM, first_name="Warm")
        never = PersonFactory(congregation=congregation, level=Level.LEADER, first_name="Never")
        OneOnOneFactory(person=cold, held_on=self.TODAY - datetime.timedelta(days=91))
        OneOnOneFactory(person=warm, held_on=self.TODAY - datetime.timedelta(days=89))
        riser = PersonFactory(congregation=congregation, level=Level.PARTICIPANT)
        for days, potential in [(5, Potential.HIGH), (40, ""), (80, Potential.MEDIUM)]:
            OneOnOneFactory(
                person=riser, potential=potential, held_on=self.TODAY - datetime.timedelta(days)
            )
        twice = PersonFactory(congregation=congregation, level=Level.MEMBER)
        for _ in range(2):
            OneOnOneFactory(person=twice, potential=Potential.HIGH, held_on=self.TODAY)
        week = relational_week(organizer, people_visible_to(organizer), today=self.TODAY)
        assert [p.first_name for p in week["going_cold"]] == ["Cold"]
        assert never not in week["going_cold"]
        assert week["rising"] == [riser] and week["rising"][0].meetings == 3

    def test_home_pages_show_the_numbers_with_constant_queries(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        def add_people(n):
            for _ in range(n):
                other = PersonFactory(congregation=congregation, level=Level.LEADER)
                OneOnOneFactory(author=organizer, person=other, held_on=D(2026, 6, 1))
                FollowUpFactory(owner=organizer, person=other, due_on=D(2026, 11, 24))

        login(client, organizer)
        with freeze_time("2026-11-25 15:00:00"):
            person = self.make_week(organizer, congregation)
            FollowUpFactory(owner=organizer, person=person, due_on=D(2026, 11, 23))
            add_people(2)
            with django_assert_max_num_queries(16) as few:
                html = client.get(reverse("home")).content.decode()
            assert 'data-testid="week-count">3<' in html and "2 days late" in html
            add_people(25)
            with django_assert_max_num_queries(len(few.captured_queries)):
                client.get(reverse("home"))

    def test_leader_home(self, client, login, leader, member):
        OneOnOneFactory(author=leader, person=member, held_on=local_today())
        html = login(client, leader).get(reverse("home")).content.decode()
        assert "My congregation" in html and 'data-testid="week-count">1<' in html
        assert 'data-testid="week-target">2<' in html


def test_sparkline_scales_to_target():
    bars = sparkline([0, 5, 10], target=10)
    assert bars[2]["h"] == 32 and bars[1]["h"] == 16 and bars[0]["h"] == 1


@pytest.mark.parametrize(
    ("level", "practice", "expected"),
    [
        (Level.MEMBER, {"had": 1}, None),
        (Level.MEMBER, {"had": 2}, Level.PARTICIPANT),
        (Level.MEMBER, {"attended": 1}, Level.PARTICIPANT),
        (Level.PARTICIPANT, {"held": 3}, Level.LEADER),
        (Level.LEADER, {"held": 10}, None),
        (Level.LEADER, {"held": 10, "hosted": 1}, Level.CORE_TEAM),
        (Level.CORE_TEAM, {"held": 30, "hosted": 3}, Level.KEY_LEADER),
        (Level.KEY_LEADER, {"held": 100, "hosted": 10}, None),
    ],
)
def test_ladder_suggestion_rule(level, practice, expected):
    suggestion = suggest_next_level(level, practice)
    assert (suggestion["level"] if suggestion else None) == expected


def test_timeline_panel_suggests_a_move(client, login, organizer, congregation):
    user = UserFactory(role=Role.LEADER)
    person = PersonFactory(user=user, congregation=congregation, level=Level.PARTICIPANT)
    for _ in range(3):
        OneOnOneFactory(author=user, author_person=person)
    url = reverse("home:person_practice", args=[person.pk])
    html = login(client, organizer).get(url).content.decode()
    assert 'data-testid="ladder-suggestion"' in html and "Leader" in html


def test_member_who_came_to_an_action_is_suggested_participant():
    suggestion = suggest_next_level(Level.MEMBER, {"actions": 1})
    assert suggestion["level"] == Level.PARTICIPANT and "action" in str(suggestion["reason"])


def test_lead_congregation_week_counts_everyone_s_meetings(lead, organizer, congregation):
    person = PersonFactory(congregation=congregation)
    stranger = PersonFactory()
    today = local_today()
    OneOnOneFactory(author=organizer, person=person, congregation=congregation, held_on=today)
    OneOnOneFactory(author=lead, person=person, congregation=congregation, held_on=today)
    OneOnOneFactory(person=stranger, held_on=today)
    week = congregation_week(lead)
    assert week["week_count"] == 2 and week["target"] == 5


def test_people_without_a_recent_one_on_one(congregation):
    met = PersonFactory(congregation=congregation)
    long_ago = PersonFactory(congregation=congregation)
    never = PersonFactory(congregation=congregation)
    OneOnOneFactory(person=met, held_on=D(2026, 6, 1))
    OneOnOneFactory(person=long_ago, held_on=D(2025, 6, 1))
    found = people_without_one_on_one_since(Person.objects.all(), D(2025, 11, 25))
    assert set(found) == {long_ago, never}


def test_lead_home_shows_the_congregation_week(client, login, lead, organizer, congregation):
    person = PersonFactory(congregation=congregation, first_name="Gloria")
    OneOnOneFactory(
        author=organizer, person=person, congregation=congregation, held_on=local_today()
    )
    html = login(client, lead).get(reverse("home")).content.decode()
    assert "Core team (" in html  # the congregation card is still there
    assert 'data-testid="week-count">1<' in html and "in your congregation" in html


def test_lead_home_query_count_is_flat(
    client, login, lead, organizer, congregation, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            person = PersonFactory(congregation=congregation, level=Level.CORE_TEAM)
            OneOnOneFactory(
                author=organizer, person=person, congregation=congregation, held_on=D(2026, 1, 5)
            )
            FollowUpFactory(owner=lead, person=person, due_on=local_today())

    login(client, lead)
    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("home"))
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
