"""Issue 16: the directory at a million people. A search sorts its matches (not the name index),
the count stops at a bound, and the order the people see does not change."""

import pytest
from django.urls import reverse

from members import pagination
from members.models import Person
from members.selectors import is_selective, name_order
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_selective_searches():
    assert is_selective("smith") and is_selective("a smi")
    assert not is_selective("sm") and not is_selective("")


def test_name_order_is_the_same_order(congregation):
    for last in ["Zapata", "adams", "Álvarez", "Baker", "baker"]:
        PersonFactory(congregation=congregation, last_name=last)
    plain = list(Person.objects.order_by(*name_order("last_name", "first_name", "id")))
    sorted_after = Person.objects.order_by(
        *name_order("last_name", "first_name", "id", matches_first=True)
    )
    assert list(sorted_after) == plain
    # Descending and non-text sorts are left to the database as they are.
    assert name_order("-created_at", "-id", matches_first=True) == ["-created_at", "-id"]


def test_search_keeps_its_order(client, login, network_organizer, congregation):
    for first in ["Zoe", "Ann", "Mia"]:
        PersonFactory(congregation=congregation, first_name=first, last_name="Smithers")
    body = login(client, network_organizer).get(reverse("members:person_list"), {"q": "smith"})
    text = body.content.decode()
    assert text.index("Ann") < text.index("Mia") < text.index("Zoe")


def test_the_count_stops_at_the_bound(client, login, network_organizer, congregation, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 60)
    PersonFactory.create_batch(61, congregation=congregation)
    login(client, network_organizer)
    response = client.get(reverse("members:person_list"))
    page = response.context["page"]
    assert page.paginator.count == 60 and page.paginator.is_bounded
    assert page.paginator.num_pages == 2
    assert "More than 60 people" in response.content.decode()
    # A page past the bound shows the last page, never an error.
    last = client.get(reverse("members:person_list"), {"page": "999"})
    assert last.status_code == 200 and last.context["page"].number == 2


def test_under_the_bound_counts_exactly(client, login, network_organizer, congregation):
    PersonFactory.create_batch(3, congregation=congregation)
    response = login(client, network_organizer).get(reverse("members:person_list"))
    assert response.context["page"].paginator.count == 3
    assert not response.context["page"].paginator.is_bounded
