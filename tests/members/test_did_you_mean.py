"""Adding someone who is likely already there asks "did you mean …?" first (issue 13, item 10),
and only ever about people the user may see (issue 11: no existence leak)."""

import pytest
from django.urls import reverse

from members.models import Person
from tests.factories import PersonFactory

NEW = reverse("members:person_create")


def new_person(congregation, **extra):
    return {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "language": "en",
        "congregation": congregation.pk,
        **extra,
    }


@pytest.mark.parametrize(
    "existing",
    [
        {"first_name": "ana", "last_name": "RUIZ"},  # the same name, any case
        {"first_name": "Anita", "last_name": "Ruiz", "zip": "06103"},  # same last name and ZIP
        {"first_name": "Ann", "last_name": "Reyes", "phone": "+18605550123"},  # the same phone
    ],
)
def test_a_likely_match_is_offered_before_saving(client, login, lead, congregation, existing):
    there = PersonFactory(congregation=congregation, town="Hartford", **existing)
    page = login(client, lead).post(
        NEW, new_person(congregation, zip="06103", phone="(860) 555-0123")
    )
    assert page.status_code == 200 and Person.objects.count() == 1
    body = page.content.decode()
    assert 'data-testid="did-you-mean"' in body and there.get_absolute_url() in body
    assert "None of these" in body


def test_none_of_these_adds_the_new_person(client, login, lead, congregation):
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz")
    page = login(client, lead).post(NEW, new_person(congregation, add_anyway="on"))
    assert page.status_code == 302 and Person.objects.filter(last_name="Ruiz").count() == 2


def test_nobody_alike_saves_at_once(client, login, lead, congregation):
    PersonFactory(congregation=congregation, first_name="Bea", last_name="Kim")
    assert login(client, lead).post(NEW, new_person(congregation)).status_code == 302


def test_people_outside_scope_are_never_offered(
    client, login, lead, congregation, other_congregation
):
    PersonFactory(congregation=other_congregation, first_name="Ana", last_name="Ruiz")
    page = login(client, lead).post(NEW, new_person(congregation))
    assert page.status_code == 302  # added, and nothing said about the other Ana Ruiz
    assert Person.objects.filter(last_name="Ruiz").count() == 2


def test_an_edit_never_asks(client, login, lead, congregation):
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz")
    other = PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruis")
    data = new_person(congregation, last_name="Ruiz")
    page = login(client, lead).post(reverse("members:person_edit", args=[other.pk]), data)
    assert page.status_code == 302


def test_the_form_keeps_a_phone_extension(client, login, lead, congregation):
    data = new_person(congregation, phone="(860) 555-0100", phone_extension="214")
    assert login(client, lead).post(NEW, data).status_code == 302
    person = Person.objects.get()
    assert (person.phone, person.phone_extension) == ("+18605550100", "214")
    edit = reverse("members:person_edit", args=[person.pk])
    assert 'value="214"' in client.get(edit).content.decode()
    page = client.post(edit, {**data, "phone_extension": "12ab"})
    assert page.status_code == 200 and "phone_extension" in page.context["form"].errors
