"""A congregation's page lists the first of its core team by name and says how many more: at
network scale a core team runs to thousands, and the page rendered every one of them."""

import pytest
from django.urls import reverse

from congregations import views
from congregations.models import Membership, MembershipRole
from congregations.tasks import tallies_refresh_task
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_core_team_is_bounded_with_a_count_of_the_rest(
    client, login, organizer, congregation, monkeypatch
):
    monkeypatch.setattr(views, "CORE_TEAM_SHOWN", 3)
    for person in PersonFactory.create_batch(5, congregation=congregation):
        Membership.objects.filter(person=person).update(role=MembershipRole.CORE_TEAM)
    tallies_refresh_task.delay()
    body = (
        login(client, organizer)
        .get(reverse("congregations:detail", args=[congregation.slug]))
        .content.decode()
    )
    section = body.split("Core team</h2>", 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == 3
    assert "and 2 more: see the people" in section
    assert f"?congregation={congregation.pk}" in section
