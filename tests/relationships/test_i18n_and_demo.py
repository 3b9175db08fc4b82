"""The Spanish catalogue is complete, pages render in Spanish, and the demo step seeds a
believable, deterministic spread of meetings."""

from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.urls import reverse

from congregations.models import Membership
from relationships.models import FollowUp, HouseMeeting, IssueHeard, OneOnOne

from .factories import OneOnOneFactory

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "relationships/locale/es/LC_MESSAGES/django.po"


def test_spanish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 100
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 5


def test_quick_log_renders_in_spanish(client, login, organizer):
    login(client, organizer)
    client.cookies["django_language"] = "es"
    html = client.get(reverse("relationships:one_on_one_new"), HTTP_ACCEPT_LANGUAGE="es").content
    html = html.decode()
    assert "Registrar una reunión individual" in html and "1 semana" in html
    assert "Guardar" in html and "Privado: solo usted" in html


def test_seed_demo_adds_meetings_deterministically(demo_network):
    out = demo_network.out
    assert "one-on-ones" in out and "organizer2@conect.example" in out
    assert IssueHeard.objects.filter(name="housing").exists()
    first = list(OneOnOne.objects.order_by("id").values_list("person_id", "held_on")[:50])
    meetings, houses = OneOnOne.objects.count(), HouseMeeting.objects.count()
    assert meetings > 50 and houses > 0 and FollowUp.objects.exists()
    # Every meeting's congregation is the person's primary one; follow-ups point at a meeting.
    primary = Membership.objects.filter(
        person=OuterRef("person"), congregation=OuterRef("congregation"), is_primary=True
    )
    assert not OneOnOne.objects.exclude(Exists(primary)).exists()
    assert set(FollowUp.objects.values_list("source_type__model", flat=True)) == {"oneonone"}
    seed = str(demo_network.seed)
    call_command("seed_demo", "--force", "--people", "400", "--seed", seed, "--reset")
    again = list(OneOnOne.objects.order_by("id").values_list("held_on")[:50])
    assert [held_on for _p, held_on in first] == [held_on for (held_on,) in again]
    assert OneOnOne.objects.count() == meetings
    # Rows were inserted with explicit ids: the next ordinary insert still gets a fresh one
    # (on PostgreSQL this needs the sequence reset).
    OneOnOneFactory()
    assert OneOnOne.objects.count() == meetings + 1
