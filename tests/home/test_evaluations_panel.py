"""The homes' evaluations-due panel reads the few actions it shows and how many there are in one
query (issue 16): the scope's joins are the costly part at a million people, so they run once
on a home built afresh."""

import datetime

import pytest
from django.utils import timezone

from actions.selectors import evaluations_owed
from conect import access
from home.dashboards import EVALUATIONS_SHOWN, evaluations_owed_panel
from tests.campaigns.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _ended(days_ago, congregation):
    start = timezone.now() - datetime.timedelta(days=days_ago, hours=3)
    return ActionFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), congregations=[congregation]
    )


@pytest.mark.parametrize("ended", [0, 2, EVALUATIONS_SHOWN + 3])
def test_rows_and_count_in_one_query(organizer, congregation, ended, django_assert_num_queries):
    for days in range(ended):
        _ended(days + 1, congregation)
    access.visible_congregation_ids(organizer)  # the scope, read once per request anyway
    with django_assert_num_queries(1):
        panel = evaluations_owed_panel(organizer)
    assert panel["evaluations_owed_count"] == ended == evaluations_owed(organizer).count()
    assert panel["evaluations_owed"] == list(evaluations_owed(organizer)[:EVALUATIONS_SHOWN])
