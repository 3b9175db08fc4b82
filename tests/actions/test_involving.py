"""`actions_involving` (what a user may change: edit, evaluate) is written for PostgreSQL's
sake apart from `campaigns.selectors.actions_involving_q`, the rule commitments and `involves`
use; the two must keep choosing the same actions for every kind of user."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.models import Action
from actions.selectors import actions_involving, evaluations_owed, involves
from campaigns.selectors import actions_involving_q
from tests.campaigns.factories import ActionFactory, CampaignFactory, PastActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(congregation, other_congregation, organizer, leader):
    led = CampaignFactory(lead_organizer=organizer)
    return {
        "ours": ActionFactory(congregations=[congregation]),
        "both": PastActionFactory(congregations=[congregation, other_congregation]),
        "theirs": PastActionFactory(congregations=[other_congregation]),
        "scheduled by the organizer": PastActionFactory(
            congregations=[other_congregation], created_by=organizer
        ),
        "scheduled by the leader": ActionFactory(created_by=leader),
        "of the organizer's campaign": PastActionFactory(campaign=led),
        "nobody's": PastActionFactory(),
    }


@pytest.mark.parametrize(
    "who", ["organizer", "lead", "leader", "admin_user", "network_organizer", "anonymous"]
)
def test_the_fast_rule_is_the_rule(request, actions, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    rule = actions_involving_q(user)
    expected = set(Action.objects.filter(rule).values_list("pk", flat=True) if rule else [])
    if rule is None:
        expected = set(Action.objects.values_list("pk", flat=True))
    found = set(actions_involving(user).values_list("pk", flat=True))
    assert found == expected
    assert {a.pk for a in actions.values() if involves(user, a)} == expected


def test_a_scoped_organizer_is_owed_the_evaluations_of_what_involves_them(actions, organizer):
    owed = {a.title for a in evaluations_owed(organizer)}
    wanted = ["both", "scheduled by the organizer", "of the organizer's campaign"]
    assert owed == {actions[name].title for name in wanted}
