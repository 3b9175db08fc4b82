"""The sweep at scale (issue 16): follow-up reminders read as values and rendered once per shape,
with the same text as a rendering per row, and claimed once however sweeps overlap."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string

from notifications import services
from notifications.models import Kind, Notification, Status
from notifications.reminders import reminders_sweep
from notifications.services import (
    Due,
    Recipient,
    notifications_claim,
    notifications_deliver,
    render,
    render_filled,
)
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import FollowUpFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
TODAY = datetime.date(2026, 11, 27)
SWEEP_AT = datetime.datetime(2026, 11, 27, 8, 0, tzinfo=NY)

AWKWARD = [
    "",
    'Ana & <Bo> "O\'Neil"',
    "{{ name }} {% now 'Y' %} %(name)s %s",
    "\x00name&\x01 looks like a mark",
    "  spaces around, and a\nsecond line  ",
]


@pytest.mark.parametrize("language", ["en", "es", "vi"])
@pytest.mark.parametrize("is_today", [True, False])
@pytest.mark.parametrize("do_not_contact", [True, False])
@pytest.mark.parametrize("text", AWKWARD)
def test_filled_rendering_is_the_rendering_per_row(language, is_today, do_not_contact, text):
    context = {"is_today": is_today, "due_on": TODAY, "do_not_contact": do_not_contact}
    for fill in ({"name": text, "note": "Bring the flyer"}, {"name": "Ana Ruiz", "note": text}):
        expected = render("followup_due", language, {**context, **fill})
        assert render_filled("followup_due", language, context, fill) == expected


def test_a_value_the_template_does_not_show_raises():
    with pytest.raises(ValueError, match="does not show nobody"):
        render_filled("followup_due", "en", {"due_on": TODAY}, {"name": "Ana", "nobody": "x"})


def test_the_sweep_renders_once_per_language_not_once_per_follow_up(leader, mailoutbox):
    spanish = UserFactory()
    PersonFactory(user=spanish, language="es")
    met = PersonFactory(first_name="Ana &", last_name="<Ruiz>")
    for owner in (leader, spanish):
        FollowUpFactory.create_batch(15, owner=owner, person=met, due_on=TODAY, note="")
    FollowUpFactory(owner=spanish, person=met, due_on=TODAY, note="Llevar {{ el }} volante")
    services._skeleton.cache_clear()  # earlier tests rendered these shapes
    with mock.patch.object(services, "render_to_string", wraps=render_to_string) as rendering:
        assert reminders_sweep(SWEEP_AT)["followups_due"] == 31
    assert rendering.call_count == 3  # English, Spanish, Spanish with a note
    notifications_deliver(now=SWEEP_AT)
    assert len(mailoutbox) == 31
    noted = next(m for m in mailoutbox if "volante" in m.body)
    assert noted.subject == "Haga seguimiento con Ana & <Ruiz> hoy"
    assert noted.body.startswith(
        "Usted dijo que volvería a contactar a Ana & <Ruiz> a más tardar el"
    )
    assert "\nLlevar {{ el }} volante\n" in noted.body
    english = next(m for m in mailoutbox if m.to == [leader.email])
    assert english.subject == "Follow up with Ana & <Ruiz> today"


def test_a_row_a_concurrent_sweep_claimed_first_is_not_counted(leader):
    """The claim's own check misses a row another sweep inserted a moment ago: the unique key
    skips it, and this sweep does not count it."""
    due = Due(
        kind=Kind.FOLLOWUP_DUE,
        subject_key="followup:1",
        for_date=TODAY,
        recipient=Recipient(user_id=leader.pk, person_id=None, email=leader.email, language="en"),
        context={"is_today": True, "due_on": TODAY, "do_not_contact": False},
        fill={"name": "Ana Ruiz", "note": ""},
    )
    with mock.patch.object(services, "_already_claimed", return_value=set()):
        assert notifications_claim([due]) == 1
        assert notifications_claim([due, due]) == 0
    row = Notification.objects.get()
    assert (row.status, row.email, row.title) == (
        Status.PENDING,
        leader.email,
        "Follow up with Ana Ruiz today",
    )


def test_a_large_claim_is_counted_across_batches(leader):
    dues = [
        Due(
            kind=Kind.FOLLOWUP_DUE,
            subject_key=f"followup:{n}",
            for_date=TODAY,
            recipient=Recipient(leader.pk, None, leader.email, "en"),
            context={"is_today": False, "due_on": TODAY, "do_not_contact": False},
            fill={"name": f"Person {n}", "note": ""},
        )
        for n in range(2500)
    ]
    with mock.patch.object(services, "CLAIM_BATCH", 1000):
        assert notifications_claim(dues) == 2500
        assert notifications_claim(dues) == 0
    assert Notification.objects.filter(kind=Kind.FOLLOWUP_DUE).count() == 2500


def test_the_recipient_has_one_index_the_inbox_one():
    """A claim of 100,000 rows keeps every index up to date: none twice for the same lookup."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Notification._meta.db_table)
    leading_user = [
        name
        for name, index in found.items()
        if index["index"] and index["columns"][0] == "recipient_user_id"
    ]
    assert leading_user == ["notif_inbox_idx"]
