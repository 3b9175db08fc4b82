"""Cached fragments (conect.fragments): the expensive pages are served from the cache, and a
write shows on them at once, whichever path wrote it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from conect import fragments
from congregations.tallies import tallies_refresh
from members.tallies import ladder_tally_refresh
from notifications.models import Kind, Notification, Status
from notifications.services import notification_mark_read
from relationships.selectors import local_today
from tests.factories import PersonFactory
from tests.relationships.factories import FollowUpFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def warm(client, url):
    """Two visits: the first gives the browser its CSRF secret, the second fills the cache."""
    client.get(url)
    client.get(url)


def week_count(client) -> str:
    body = client.get(reverse("home")).content.decode()
    return re.search(r'data-testid="week-count">(\d+)<', body).group(1)


def test_a_cached_home_asks_the_database_only_for_the_reader(client, login, organizer):
    login(client, organizer)
    warm(client, reverse("home"))
    with CaptureQueriesContext(connection) as hit:
        response = client.get(reverse("home"))
    assert response.status_code == 200 and "This week" in response.content.decode()
    tables = " ".join(q["sql"] for q in hit.captured_queries)
    assert "relationships_" not in tables and "congregations_" not in tables
    assert len(hit.captured_queries) <= 3  # the session, the user, (the two-step check)


def test_a_one_on_one_shows_on_the_cached_home_at_once(client, login, organizer, congregation):
    login(client, organizer)
    warm(client, reverse("home"))
    assert week_count(client) == "0"
    person = PersonFactory(congregation=congregation)
    OneOnOneFactory(
        author=organizer, person=person, congregation=congregation, held_on=local_today()
    )
    assert week_count(client) == "1"


def test_a_bump_after_commit_invalidates_again(django_capture_on_commit_callbacks):
    """A reader who filled the cache between the write and its commit read the old rows: the
    bump at commit time makes their copy unreachable too. One callback per transaction."""
    topics = ["relational", "people"]
    before = fragments.generations(topics)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fragments.bump("relational")
        fragments.bump("people")
    during = fragments.generations(topics)
    assert callbacks == [fragments._flush]
    callbacks[0]()  # what the commit runs
    after = fragments.generations(topics)
    assert all(b != d != a for b, d, a in zip(before, during, after, strict=True))


def test_a_follow_up_done_leaves_the_cached_list(client, login, organizer, congregation):
    person = PersonFactory(congregation=congregation, first_name="Yesenia")
    follow_up = FollowUpFactory(owner=organizer, person=person, due_on=local_today())
    login(client, organizer)
    url = reverse("relationships:follow_up_list")
    warm(client, url)
    assert "Yesenia" in client.get(url).content.decode()
    follow_up.done_at = follow_up.created_at
    follow_up.save()
    assert "Yesenia" not in client.get(url).content.decode()


def test_forms_in_a_cached_fragment_carry_the_readers_own_token(client, login, organizer):
    """The cache is per reader and per CSRF secret: a new sign-in is a miss, and its forms work."""
    person = PersonFactory(first_name="Yesenia")
    FollowUpFactory(owner=organizer, person=person, due_on=local_today())
    url = reverse("relationships:follow_up_list")
    login(client, organizer)
    warm(client, url)
    first = client.cookies["csrftoken"].value
    client.logout()
    login(client, organizer)
    client.cookies.pop("csrftoken", None)
    warm(client, url)
    assert client.cookies["csrftoken"].value != first
    body = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value


def test_no_cache_before_the_reader_has_a_csrf_secret(rf, organizer):
    request = rf.get("/")
    request.user = organizer
    calls = []
    for _ in range(2):
        fragments.cached_fragment(request, "t", ["people"], lambda: calls.append(1) or "x")
    assert len(calls) == 2


def test_each_language_has_its_own_copy(client, login, organizer):
    login(client, organizer)
    warm(client, reverse("home"))
    assert "This week" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    with translation.override("es"):
        body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Esta semana" in body and "This week" not in body


def test_tally_recounts_bump_only_when_a_count_changed(congregation):
    tallies_refresh()
    ladder_tally_refresh()
    before = fragments.generations(["people"])
    tallies_refresh()
    ladder_tally_refresh()
    assert fragments.generations(["people"]) == before  # recounted, nothing changed
    Person = PersonFactory._meta.model
    person = PersonFactory(congregation=congregation)
    Person.objects.filter(pk=person.pk).update(first_name="Bulk")  # no signal on this path
    cache.delete(fragments._generation_key("people"))  # as if the save's own bump were lost
    before = fragments.generations(["people"])
    tallies_refresh()
    assert fragments.generations(["people"]) != before


def test_the_unread_badge_follows_the_inbox(client, login, organizer):
    login(client, organizer)
    client.get(reverse("home"))
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()
    note = Notification.objects.create(
        kind=Kind.FOLLOWUP_DUE,
        subject_key="followup:1",
        recipient_key=f"user:{organizer.pk}",
        recipient_user=organizer,
        for_date=local_today(),
        title="Call Yesenia",
        status=Status.IN_APP,
    )
    body = client.get(reverse("home")).content.decode()
    assert re.search(r'data-testid="unread-count">1<', body)
    notification_mark_read(by=organizer, notification_ids=[note.pk])
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_bookkeeping_models_keep_fast_deletes():
    """A delete receiver makes Django fetch every row it deletes: the tallies and staging rows,
    deleted in bulk, have none."""
    from django.db.models.signals import post_delete

    from members.models import ImportRow, Person
    from relationships.models import ListeningTally

    assert not post_delete.has_listeners(ListeningTally)
    assert not post_delete.has_listeners(ImportRow)
    assert post_delete.has_listeners(Person)


def test_a_request_that_wrote_bumps_every_topic_and_a_refused_one_none(client, login, lead):
    """Views write in bulk too (an invitation is one bulk insert): any POST that was not refused
    bumps every topic; a refused one (405 here) wrote nothing."""
    login(client, lead)
    client.get(reverse("home"))
    before = fragments.generations(fragments.TOPICS)
    assert client.post(reverse("home")).status_code == 405
    assert fragments.generations(fragments.TOPICS) == before
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    after = fragments.generations(fragments.TOPICS)
    assert all(a != b for a, b in zip(after, before, strict=True))


def test_a_door_check_in_leaves_the_relational_fragments_alone(rf, organizer):
    """The actions' views bump only the actions topic: a burst of check-ins does not empty
    every home's relational week. Other namespaces bump every topic."""

    def after_post(url: str, status: int) -> dict:
        request = rf.post(url)
        request.user = organizer
        request.resolver_match = resolve(url)
        before = fragments.generations(fragments.TOPICS)
        fragments.WritesBumpMiddleware(lambda r: HttpResponse(status=status))(request)
        after = fragments.generations(fragments.TOPICS)
        return {t: b != a for t, b, a in zip(fragments.TOPICS, before, after, strict=True)}

    assert after_post(reverse("actions:list"), 302) == {
        "people": False,
        "relational": False,
        "actions": True,
    }
    assert all(after_post(reverse("members:person_list"), 302).values())
    assert not any(after_post(reverse("members:person_list"), 403).values())


def test_a_swept_reminder_shows_in_the_cached_badge(client, login, organizer, congregation):
    """The sweep inserts its rows in bulk (no signal): it bumps the recipients' inboxes."""
    from notifications.tasks import reminders_sweep_task

    person = PersonFactory(congregation=congregation)
    FollowUpFactory(owner=organizer, person=person, due_on=local_today())
    login(client, organizer)
    client.get(reverse("home"))
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()
    reminders_sweep_task.delay()
    assert 'data-testid="unread-count"' in client.get(reverse("home")).content.decode()


def test_a_cached_person_page_still_audits_every_view(client, login, organizer, congregation):
    """The profile is cached; the audit of a sensitive read is not part of it."""
    from members.models import AuditEvent

    person = PersonFactory(congregation=congregation, first_name="Yesenia", notes="Private.")
    login(client, organizer)
    url = reverse("members:person_detail", args=[person.pk])
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert "Yesenia" in client.get(url).content.decode()
    assert AuditEvent.objects.count() - before == 3
    person.first_name = "Yolanda"
    person.save()
    assert "Yolanda" in client.get(url).content.decode()
