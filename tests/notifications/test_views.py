import datetime

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification, Preference, Status

pytestmark = pytest.mark.django_db


def note(user, n=0, **extra):
    return Notification.objects.create(
        kind=Kind.FOLLOWUP_DUE,
        subject_key=f"followup:{n}",
        recipient_key=f"user:{user.pk}",
        recipient_user=user,
        for_date=datetime.date(2026, 11, 27),
        title=f"Title {n}",
        status=Status.IN_APP,
        **{"body": "<b>bold</b>", **extra},
    )


def test_inbox_lists_only_mine_and_escapes(client, login, organizer, lead):
    note(organizer, 1)
    note(lead, 2)
    body = login(client, organizer).get(reverse("notifications:inbox")).content.decode()
    assert "Title 1" in body and "Title 2" not in body
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold" in body
    assert 'data-testid="unread-count">1' in body


def test_inbox_links_the_digest_items_and_still_escapes(client, login, organizer):
    note(organizer, 1, body='- <b>Ana</b>: http://127.0.0.1:8000/people/7/ "x"')
    body = login(client, organizer).get(reverse("notifications:inbox")).content.decode()
    assert '<a href="http://127.0.0.1:8000/people/7/"' in body
    assert "<b>Ana</b>" not in body and "&lt;b&gt;Ana" in body


def test_mark_read_touches_only_my_rows(client, login, organizer, lead):
    mine, theirs = note(organizer, 1), note(lead, 2)
    login(client, organizer).post(reverse("notifications:mark_read"), {"id": [theirs.pk, mine.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_mark_all_read(client, login, organizer):
    note(organizer, 1), note(organizer, 2)
    login(client, organizer).post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_read_ignores_garbage_ids(client, login, organizer):
    note(organizer, 1)
    response = login(client, organizer).post(
        reverse("notifications:mark_read"), {"id": ["x", "-1"]}
    )
    assert response.status_code == 302


def test_preferences_round_trip(client, login, organizer):
    login(client, organizer)
    data = {kind: "on" for kind in Kind.values if kind != Kind.WEEKLY_DIGEST}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert Preference.objects.get(user=organizer, kind=Kind.WEEKLY_DIGEST).email is False
    assert Preference.objects.get(user=organizer, kind=Kind.FOLLOWUP_DUE).email is True
    assert client.get(reverse("notifications:preferences")).status_code == 200


@pytest.mark.parametrize("name", ["notifications:inbox", "notifications:preferences"])
def test_anonymous_goes_to_login(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))


def test_wrong_methods(client, login, organizer):
    login(client, organizer)
    assert client.post(reverse("notifications:inbox")).status_code == 405
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    assert client.delete(reverse("notifications:preferences")).status_code == 405


def test_inbox_query_count_is_flat(client, login, organizer, django_assert_max_num_queries):
    login(client, organizer)
    for n in range(3):
        note(organizer, n)
    with django_assert_max_num_queries(8):
        client.get(reverse("notifications:inbox"))
    for n in range(3, 40):
        note(organizer, n)
    with django_assert_max_num_queries(8):
        client.get(reverse("notifications:inbox"))
