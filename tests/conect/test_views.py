"""Foundation pages: role homes, directory stubs, admin, login, language switch."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PAGES = ["home", "congregations:list", "members:person_list"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
def test_wrong_method_is_405(client, login, organizer, name):
    response = login(client, organizer).post(reverse(name))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin_user", "The network"),
        ("organizer", "This week"),
        ("lead", "Core team ("),
        ("leader", "My congregation"),
    ],
)
def test_each_role_gets_its_home(client, login, request, persona, expected, congregation):
    user = request.getfixturevalue(persona)
    response = login(client, user).get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert user.get_role_display() in response.content.decode()


def test_lead_home_shows_their_congregation_counts(client, login, lead, congregation):
    PersonFactory.create_batch(3, congregation=congregation)
    body = login(client, lead).get(reverse("home")).content.decode()
    assert congregation.name.replace("'", "&#x27;") in body
    assert "People (3)" in body


def test_lead_home_never_shows_other_congregations(client, login, lead, other_congregation):
    PersonFactory(congregation=other_congregation, first_name="Zebulon")
    body = login(client, lead).get(reverse("home")).content.decode()
    assert other_congregation.name not in body


def test_home_query_count_does_not_grow_with_congregations(
    client, login, admin_user, django_assert_max_num_queries
):
    from tests.factories import CongregationFactory

    login(client, admin_user)
    CongregationFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))
    CongregationFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


class TestCongregationPages:
    def test_list_is_scoped(self, client, login, lead, congregation, other_congregation):
        body = login(client, lead).get(reverse("congregations:list")).content.decode()
        assert "St. Mark" in body and "Temple Sinai" not in body

    def test_detail_happy_path(self, client, login, lead, congregation):
        PersonFactory(congregation=congregation, first_name="Core")
        response = login(client, lead).get(congregation.get_absolute_url())
        assert response.status_code == 200
        assert "Core team" in response.content.decode()

    def test_other_congregation_is_404(self, client, login, lead, other_congregation):
        response = login(client, lead).get(other_congregation.get_absolute_url())
        assert response.status_code == 404

    def test_unknown_slug_is_404(self, client, login, admin_user):
        response = login(client, admin_user).get("/congregations/no-such-place/")
        assert response.status_code == 404

    def test_leader_sees_no_people_counts(self, client, login, leader, congregation):
        body = login(client, leader).get(congregation.get_absolute_url()).content.decode()
        assert "Core team (" not in body

    def test_list_query_count_is_flat(
        self, client, login, admin_user, django_assert_max_num_queries
    ):
        from tests.factories import CongregationFactory

        login(client, admin_user)
        CongregationFactory.create_batch(40)
        with django_assert_max_num_queries(6):
            client.get(reverse("congregations:list"))


# The people pages' tests (directory, person page, scoping, query counts) live in tests/members/.


class TestAdmin:
    def test_admin_role_gets_the_admin(self, client, login, admin_user):
        assert login(client, admin_user).get("/admin/").status_code == 200
        assert client.get("/admin/members/person/").status_code == 200

    @pytest.mark.parametrize("persona", ["organizer", "lead", "leader"])
    def test_other_roles_do_not(self, client, login, request, persona):
        user = request.getfixturevalue(persona)
        response = login(client, user).get("/admin/members/person/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


class TestLogin:
    def test_login_with_email_and_password(self, client, organizer):
        response = client.post(
            reverse("account_login"),
            {"login": "Organizer@conect.example", "password": "pw-for-tests-1"},
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200

    def test_wrong_password_shows_an_error(self, client, organizer):
        response = client.post(
            reverse("account_login"), {"login": organizer.email, "password": "nope"}
        )
        assert response.status_code == 200
        assert b"alert" in response.content
        assert client.get(reverse("home")).status_code == 302

    def test_there_is_no_open_signup(self, client):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-123",
                "password2": "a-long-pass-123",
            },
        )
        assert response.status_code == 200
        assert b"closed" in response.content.lower()
        from members.models import User

        assert not User.objects.filter(email="new@example.org").exists()

    def test_password_reset_sends_an_email(self, client, organizer, mailoutbox):
        response = client.post(reverse("account_reset_password"), {"email": organizer.email})
        assert response.status_code == 302
        assert len(mailoutbox) == 1 and organizer.email in mailoutbox[0].to

    def test_email_is_the_username(self, db):
        from members.models import User

        user = User.objects.create_user("Mixed@Example.ORG")
        assert user.email == "mixed@example.org"
        assert not user.has_usable_password()
        with pytest.raises(ValueError):
            User.objects.create_user("")


def test_language_switch_to_spanish(client, login, organizer):
    login(client, organizer)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert 'lang="es"' in body
    assert "Esta semana" in body


def test_homes_show_the_next_action_with_pledges_and_rsvps(
    client, login, lead, organizer, congregation, other_congregation
):
    import datetime

    from django.utils import timezone

    from actions.models import Rsvp
    from tests.campaigns.factories import ActionFactory, AttendanceFactory, PledgeFactory

    ActionFactory(title="Somebody else's vigil")  # sooner, but not theirs
    action = ActionFactory(
        title="Housing assembly", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    PledgeFactory(action=action, congregation=congregation, pledged=40)
    PledgeFactory(action=action, congregation=other_congregation, pledged=200)
    for _ in range(3):
        AttendanceFactory(
            action=action,
            person=PersonFactory(congregation=congregation),
            rsvp=Rsvp.YES,
            congregation=congregation,
        )
    lead_page = login(client, lead).get(reverse("home")).content.decode()
    assert "Housing assembly" in lead_page and "pledged 40 · RSVP 3" in lead_page
    organizer_page = login(client, organizer).get(reverse("home")).content.decode()
    assert "pledged 40 · RSVP 3" in organizer_page  # an organizer of one congregation
