"""Interfaith calendar warnings on known dates, and the iCalendar feed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from actions.interfaith import calendar_warnings
from actions.models import CalendarFeed
from actions.services import calendar_feed_create, calendar_feed_rotate
from congregations.models import Tradition
from tests.campaigns.factories import ActionFactory, AttendanceFactory, PledgeFactory
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.fixture
def interfaith(db):
    return {
        t: CongregationFactory(name=f"{t.label} congregation", tradition=t)
        for t in (Tradition.CHRISTIAN, Tradition.JEWISH, Tradition.MUSLIM, Tradition.SIKH)
    }


def warn(start, hours, congregations):
    return {
        (w.tradition, w.reason, tuple(c.name for c in w.congregations))
        for w in calendar_warnings(start, start + datetime.timedelta(hours=hours), congregations)
    }


def names(warnings):
    return {(tradition, reason) for tradition, reason, _c in warnings}


@pytest.mark.parametrize(
    ("start", "tradition", "reason"),
    [
        (datetime.datetime(2026, 3, 14, 11, 0, tzinfo=NY), "jewish", "Shabbat"),  # a Saturday
        (datetime.datetime(2026, 3, 13, 19, 0, tzinfo=NY), "jewish", "Shabbat"),  # Friday evening
        (datetime.datetime(2026, 3, 13, 13, 0, tzinfo=NY), "muslim", "Jumu'ah"),  # a Friday 13:00
        (datetime.datetime(2026, 3, 15, 10, 0, tzinfo=NY), "christian", "Sunday morning worship"),
        (
            datetime.datetime(2026, 9, 21, 18, 0, tzinfo=NY),
            "jewish",
            "Yom Kippur",
        ),  # 10 Tishrei 5787
        (datetime.datetime(2027, 10, 11, 18, 0, tzinfo=NY), "jewish", "Yom Kippur"),
        (datetime.datetime(2026, 3, 20, 18, 0, tzinfo=NY), "muslim", "Eid al-Fitr"),
        (datetime.datetime(2025, 3, 30, 18, 0, tzinfo=NY), "muslim", "Eid al-Fitr"),  # US date
        (datetime.datetime(2026, 5, 27, 18, 0, tzinfo=NY), "muslim", "Eid al-Adha"),
        (datetime.datetime(2026, 4, 14, 18, 0, tzinfo=NY), "sikh", "Vaisakhi"),
        (datetime.datetime(2026, 4, 5, 15, 0, tzinfo=NY), "christian", "Easter"),
        (datetime.datetime(2026, 12, 25, 15, 0, tzinfo=NY), "christian", "Christmas"),
        (datetime.datetime(2026, 11, 24, 18, 0, tzinfo=NY), "sikh", "Guru Nanak Gurpurab"),
    ],
)
def test_known_dates_warn(interfaith, start, tradition, reason):
    found = warn(start, 2, list(interfaith.values()))
    matching = [w for w in found if w[0] == tradition and reason in w[1]]
    assert matching, found
    assert matching[0][2] == (interfaith[tradition].name,)  # names the affected congregation


def test_a_plain_tuesday_evening_is_clear(interfaith):
    assert (
        warn(datetime.datetime(2026, 3, 17, 19, 0, tzinfo=NY), 2, list(interfaith.values()))
        == set()
    )


def test_warning_without_affected_participants_names_none(interfaith):
    found = warn(datetime.datetime(2026, 3, 13, 13, 0, tzinfo=NY), 1, [interfaith["christian"]])
    assert ("muslim", "Jumu'ah (Friday midday prayer)", ()) in found


def test_holy_days_are_computed_for_any_year(interfaith):
    # Yom Kippur 2030 is 7 October; no list of dates in the code reaches that far.
    found = warn(datetime.datetime(2030, 10, 7, 12, 0, tzinfo=NY), 2, list(interfaith.values()))
    assert ("jewish", "Yom Kippur") in names(found)


def test_ical_feed_parses_and_hides_private_data(client, lead, congregation):
    action = ActionFactory(title="Housing assembly", place="Bushnell Park", agenda="SECRET AGENDA")
    person = PersonFactory(first_name="Zebulon", congregation=congregation)
    AttendanceFactory(action=action, person=person, congregation=congregation)
    PledgeFactory(action=action, congregation=congregation, pledged=987)
    feed = CalendarFeed.objects.create(user=lead)
    response = client.get(reverse("actions:ics"), {"token": feed.token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Housing assembly"]
    assert str(events[0]["location"]) == "Bushnell Park"
    text = response.content.decode()
    for secret in ("Zebulon", "987", "SECRET AGENDA", congregation.name, lead.email):
        assert secret not in text


def test_ical_feed_needs_a_valid_token(client, lead):
    CalendarFeed.objects.create(user=lead)
    assert client.get(reverse("actions:ics")).status_code == 404
    assert client.get(reverse("actions:ics"), {"token": "guess"}).status_code == 404


def test_ical_feed_of_a_deactivated_user_stops(client, lead):
    feed = CalendarFeed.objects.create(user=lead)
    lead.is_active = False
    lead.save()
    assert client.get(reverse("actions:ics"), {"token": feed.token}).status_code == 404


def test_subscribe_page_get_makes_nothing(client, login, lead):
    login(client, lead)
    body = client.get(reverse("actions:calendar")).content.decode()
    assert "Make my calendar link" in body and "ics-url" not in body
    assert not CalendarFeed.objects.exists()


def test_subscribe_post_makes_the_link(client, login, lead):
    login(client, lead)
    assert client.post(reverse("actions:calendar")).status_code == 302
    token = CalendarFeed.objects.get(user=lead).token
    body = client.get(reverse("actions:calendar")).content.decode()
    assert token in body and "Make a new address" in body
    assert client.get(reverse("actions:ics"), {"token": token}).status_code == 200


def test_subscribe_post_again_rotates(client, login, lead):
    login(client, lead)
    client.post(reverse("actions:calendar"))
    token = CalendarFeed.objects.get(user=lead).token
    assert client.post(reverse("actions:calendar")).status_code == 302
    new = CalendarFeed.objects.get(user=lead).token
    assert new != token
    assert client.get(reverse("actions:ics"), {"token": token}).status_code == 404
    assert client.get(reverse("actions:ics"), {"token": new}).status_code == 200


def test_subscribe_page_speaks_spanish(client, login, lead):
    login(client, lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(reverse("actions:calendar")).content.decode()
    assert "Crear mi enlace de calendario" in body


def test_calendar_feed_services(lead):
    feed = calendar_feed_create(by=lead)
    assert calendar_feed_create(by=lead) == feed  # making it twice keeps the one address
    rotated = calendar_feed_rotate(by=lead)
    assert rotated.token != feed.token
    assert list(CalendarFeed.objects.values_list("token", flat=True)) == [rotated.token]
