"""Targets stay officials by office: a party or a candidacy in a name or office is confirmed."""

import pytest
from django.urls import reverse

from campaigns.models import Target
from conect.nonpartisan import partisan_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jane Roe (D)", ["(D)"]),
        ("John Doe (R-CT)", ["(R-CT)"]),
        ("Democratic candidate for Mayor", ["democratic", "candidate"]),
        ("Republican nominee", ["republican", "nominee"]),
        ("Candidata a alcaldesa", ["candidata"]),
        ("Partido Demócrata", ["partido", "democrata"]),
        ("Campaña de reelección", ["campana de", "reeleccion"]),
        ("Campaign for Council", ["campaign for"]),
        ("Mayor", []),
        ("Commissioner of Housing", []),
        ("Dr. Dana Reyes", []),
        ("Hartford Board of Education", []),
    ],
)
def test_word_list(text, found):
    assert partisan_words(text) == found


def _post(client, **changes):
    data = {"name": "Jane Roe (D)", "office": "Mayor", "jurisdiction": "Hartford"}
    return client.post(reverse("targets:create"), data | changes)


def test_a_party_letter_asks_for_confirmation(client, login, organizer):
    login(client, organizer)
    response = _post(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "CONECT is non-partisan" in body and "(D)" in body
    assert 'name="confirm_nonpartisan"' in body
    assert not Target.objects.exists()


def test_a_candidacy_in_the_office_asks_too(client, login, organizer):
    login(client, organizer)
    response = _post(client, name="Jane Roe", office="Democratic candidate for Mayor")
    assert response.status_code == 200 and not Target.objects.exists()


def test_confirmed_it_saves(client, login, organizer):
    login(client, organizer)
    response = _post(client, confirm_nonpartisan="on")
    assert response.status_code == 302
    assert Target.objects.get().name == "Jane Roe (D)"


def test_an_office_saves_without_the_box(client, login, organizer):
    login(client, organizer)
    assert (
        'name="confirm_nonpartisan"' not in client.get(reverse("targets:create")).content.decode()
    )
    response = _post(client, name="Jane Roe")
    assert response.status_code == 302 and Target.objects.filter(name="Jane Roe").exists()


def test_the_admin_asks_too(client, login, admin_user):
    login(client, admin_user)
    url = reverse("admin:campaigns_target_add")
    data = {"name": "Jane Roe", "office": "Candidato a alcalde", "jurisdiction": "Hartford"}
    response = client.post(url, data)
    assert response.status_code == 200 and "CONECT is non-partisan" in response.content.decode()
    assert not Target.objects.exists()
    assert client.post(url, data | {"confirm_nonpartisan": "on"}).status_code == 302
    assert Target.objects.get().office == "Candidato a alcalde"
