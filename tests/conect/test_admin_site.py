"""The Django admin is for the admin role only."""

import pytest

pytestmark = pytest.mark.django_db


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
