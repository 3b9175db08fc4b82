"""The API's person signup helper matches only people the token's user can see (issue 11,
Must 3): someone outside scope is neither linked nor revealed; a new person is added instead."""

import json

import pytest

from members.models import Person
from tests.members.test_outside_scope import stranger as stranger  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


class TestApiSignup:
    def post(self, client, person):
        body = json.dumps({"person": person})
        return client.post("/api/v2/people", body, content_type="application/json")

    def test_matches_nobody_outside_scope_and_reveals_nothing(
        self, api_as, lead, congregation, other_congregation, stranger
    ):
        client = api_as(lead)
        person = {"given_name": "Ana", "email_addresses": [{"address": "ana@example.org"}]}
        response = self.post(client, person)
        assert response.status_code == 201, response.content
        body = response.content.decode()
        assert "Hidden Lane" not in body and "5550199" not in body
        added = Person.objects.exclude(pk=stranger.pk).get()
        assert list(added.memberships.values_list("congregation", flat=True)) == [congregation.pk]
        assert list(stranger.memberships.values_list("congregation", flat=True)) == [
            other_congregation.pk
        ]
        again = self.post(client, {**person, "languages_spoken": ["es"]})
        assert again.status_code in (200, 201)  # the lead's own record, or one more to merge
        assert list(stranger.memberships.values_list("congregation", flat=True)) == [
            other_congregation.pk
        ]
        assert "Hidden Lane" not in again.content.decode()

    def test_an_email_alone_is_unknown_rather_than_matched(self, api_as, lead, stranger):
        response = self.post(api_as(lead), {"email_addresses": [{"address": "ana@example.org"}]})
        assert response.status_code == 400 and "given_name" in response.content.decode()
        assert Person.objects.count() == 1
        assert stranger.memberships.count() == 1

    def test_the_whole_network_still_matches_everyone(
        self, api_as, network_organizer, other_congregation, stranger
    ):
        person = {
            "given_name": "Ana",
            "email_addresses": [{"address": "ana@example.org"}],
            "custom_fields": {"congregation": other_congregation.slug},
        }
        response = self.post(api_as(network_organizer), person)
        assert response.status_code == 200 and Person.objects.count() == 1
