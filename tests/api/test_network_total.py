"""Issue 16: for a token that sees the whole network, the unfiltered people list takes its
total_records from the ladder tallies: no count of every person (a sequential scan at
1,000,000), and the pages still reach every person whatever the tally says."""

import pytest
from django.utils import timezone

from members.models import Person
from members.tallies import ladder_tally_refresh
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v2/people"
TABLE = Person._meta.db_table


def counts_people(queries) -> bool:
    return any("COUNT(" in q["sql"].upper() and f'FROM "{TABLE}"' in q["sql"] for q in queries)


def read_all(client, per_page=10) -> list[str]:
    """Every person's email, page by page along the next links."""
    emails, url = [], f"{PEOPLE}?per_page={per_page}"
    while url:
        body = client.get(url).json()
        emails += [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]
        url = body["_links"].get("next", {}).get("href")
    return emails


def test_the_whole_network_is_not_counted(
    api_as, network_organizer, congregation, django_assert_max_num_queries
):
    PersonFactory.create_batch(12, congregation=congregation)
    PersonFactory(congregation=congregation, archived_at=timezone.now())  # not listed
    ladder_tally_refresh()
    client = api_as(network_organizer)
    with django_assert_max_num_queries(10) as read:
        body = client.get(f"{PEOPLE}?per_page=5").json()
    assert not counts_people(read.captured_queries)
    assert (body["total_records"], body["total_pages"]) == (12, 3)
    # The tallies count what the list holds: the active people, the archived left out.
    assert len(read_all(client, per_page=5)) == 12
    past = client.get(f"{PEOPLE}?per_page=5&page=9").json()  # past the end: empty, same total
    assert past["_embedded"]["osdi:people"] == [] and past["total_records"] == 12
    assert "next" not in past["_links"] and "previous" not in past["_links"]


def test_a_tally_behind_the_rows_still_reaches_everyone(api_as, network_organizer, congregation):
    PersonFactory.create_batch(10, congregation=congregation)
    ladder_tally_refresh()
    PersonFactory.create_batch(3, congregation=congregation)  # the next recount will see them
    client = api_as(network_organizer)
    first = client.get(f"{PEOPLE}?per_page=10").json()
    assert first["total_records"] == 11  # the tally's 10, and the row past the page it read
    assert "next" in first["_links"]
    assert len(read_all(client)) == 13
    ladder_tally_refresh()
    assert client.get(PEOPLE).json()["total_records"] == 13


def test_filters_scopes_and_no_tally_are_counted(
    api_as, network_organizer, lead_of, congregation, django_assert_max_num_queries
):
    PersonFactory.create_batch(3, congregation=congregation, last_name="Ruiz")
    PersonFactory.create_batch(2, congregation=congregation)
    client = api_as(network_organizer)
    with django_assert_max_num_queries(10) as read:  # never recounted: no tally rows yet
        assert client.get(PEOPLE).json()["total_records"] == 5
    assert counts_people(read.captured_queries)
    ladder_tally_refresh()
    with django_assert_max_num_queries(10) as read:
        found = client.get(f"{PEOPLE}?filter=family_name eq 'Ruiz'").json()
    assert counts_people(read.captured_queries) and found["total_records"] == 3
    lead = api_as(lead_of(congregation))
    with django_assert_max_num_queries(10) as read:
        assert lead.get(PEOPLE).json()["total_records"] == 5
    assert counts_people(read.captured_queries)
