"""The staff admin records other income through congregations.services, as the app does."""

import pytest
from django.urls import reverse

from congregations.models import OtherIncome

pytestmark = pytest.mark.django_db


def test_income_added_in_the_admin_is_recorded_by_the_service(client, login, admin_user):
    login(client, admin_user)
    data = {
        "kind": "donation",
        "source": "individual",
        "donor": "A friend of CONECT",
        "amount_cents": "50000",
        "received_on": "2026-11-20",
        "restriction": "",
        "memo": "",
    }
    response = client.post(reverse("admin:congregations_otherincome_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    income = OtherIncome.objects.get()
    assert (income.created_by, income.amount_cents) == (admin_user, 50_000)


def test_a_private_funder_with_a_public_sounding_name_is_accepted_in_the_admin(
    client, login, admin_user
):
    login(client, admin_user)
    data = {
        "kind": "grant",
        "source": "foundation",
        "donor": "Fairfield County's Community Foundation",
        "amount_cents": "50000",
        "received_on": "2026-11-20",
        "restriction": "",
        "memo": "",
    }
    response = client.post(reverse("admin:congregations_otherincome_add"), data)
    assert response.status_code == 302 and OtherIncome.objects.get().source == "foundation"


def test_government_money_is_refused_in_the_admin_too(client, login, admin_user):
    login(client, admin_user)
    data = {
        "kind": "grant",
        "source": "government",
        "donor": "State of Connecticut",
        "amount_cents": "50000",
        "received_on": "2026-11-20",
    }
    response = client.post(reverse("admin:congregations_otherincome_add"), data)
    assert response.status_code == 200 and not OtherIncome.objects.exists()
