"""The practice behind a person's rung on their page (issue 13, item 7): one-on-ones held and
had, actions attended, house meetings hosted and attended, commitments (yeses) kept; the move
it suggests, and the rule written out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Attendance, Rsvp
from conect.ladder import Level
from relationships.ladder import ladder_rules, suggest_next_level
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory, UserFactory

from .factories import HouseMeetingFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def test_panel_shows_the_practice_and_the_suggested_move(
    client, login, organizer, congregation, member
):
    past = timezone.now() - datetime.timedelta(days=20)
    came, missed = ActionFactory(starts_at=past), ActionFactory(starts_at=past)
    Attendance.objects.create(action=came, person=member, rsvp=Rsvp.YES, checked_in_at=past)
    Attendance.objects.create(action=missed, person=member, rsvp=Rsvp.YES)
    OneOnOneFactory(author=organizer, person=member, congregation=congregation)
    HouseMeetingFactory(congregation=congregation).attendees.add(member)
    html = login(client, organizer).get(reverse("home:person_practice", args=[member.pk]))
    html = html.content.decode()
    assert 'data-testid="practice"' in html
    assert "1 of 2 yeses" in html  # said yes twice, came once
    assert "Actions attended</dt><dd>1</dd>" in html
    assert "House meetings attended</dt><dd>1</dd>" in html
    assert 'data-testid="ladder-suggestion"' in html  # a member who came: participant
    assert "How the ladder reads practice" in html


def test_a_leader_with_practice_is_offered_core_team(client, login, organizer, congregation):
    user = UserFactory(role="leader")
    person = PersonFactory(user=user, congregation=congregation, level=Level.LEADER)
    for _ in range(10):
        OneOnOneFactory(author=user, author_person=person, congregation=congregation)
    HouseMeetingFactory(congregation=congregation, facilitator=user)
    html = login(client, organizer).get(reverse("home:person_practice", args=[person.pk]))
    assert "Ready for Core team?" in html.content.decode()


def test_rule_reads_in_one_place():
    rules = ladder_rules()
    assert [str(r["next"]) for r in rules] == ["Participant", "Leader", "Core team", "Key leader"]
    assert suggest_next_level(Level.KEY_LEADER, {"held": 999}) is None
    assert suggest_next_level(Level.PARTICIPANT, {"held": 2}) is None


def test_other_congregation_is_404_and_anonymous_is_login(client, login, organizer, stranger):
    url = reverse("home:person_practice", args=[stranger.pk])
    assert client.get(url).status_code == 302
    assert login(client, organizer).get(url).status_code == 404
