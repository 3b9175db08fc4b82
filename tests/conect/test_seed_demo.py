import pytest
from django.core.management import call_command

from actions.models import Election
from congregations.models import Congregation, Membership, Tradition
from members.models import Demographics, LeadershipChange, Level, Person, User, VoterRegistration

pytestmark = pytest.mark.django_db


def seed(capsys, *args):
    call_command("seed_demo", "--force", "--people", "400", *args)
    return capsys.readouterr().out


def test_seed_builds_a_believable_network(demo_network):
    out = demo_network.out  # seed_demo --force --people 400, run once for every test that reads it
    assert Congregation.objects.count() == 37
    assert set(Congregation.objects.values_list("tradition", flat=True)) >= {
        Tradition.CHRISTIAN,
        Tradition.JEWISH,
        Tradition.MUSLIM,
        Tradition.SIKH,
        Tradition.QUAKER,
        Tradition.UNITARIAN,
    }
    assert Person.objects.filter(user__isnull=True).count() == 400
    # Everyone belongs somewhere, and nobody has two primary congregations.
    assert not Person.objects.filter(memberships__isnull=True, user__isnull=True).exists()
    assert Membership.objects.filter(is_primary=True).count() == Person.objects.count() - 2
    assert Congregation.objects.get(slug="st-marks-ame-church").status == "member"
    levels = dict.fromkeys(Level.values, 0)
    for level in Person.objects.values_list("level", flat=True):
        levels[level] += 1
    assert levels[Level.MEMBER] > levels[Level.PARTICIPANT] > levels[Level.KEY_LEADER]
    assert LeadershipChange.objects.exists()
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "organizer",
        "lead",
        "leader",
    }
    for email in ("admin@", "organizer@", "lead@", "leader@"):
        assert email in out
    assert User.objects.get(email="lead@conect.example").check_password("conect-demo")


def test_second_run_does_nothing(capsys, demo_network):
    before = Person.objects.count()
    out = seed(capsys)
    assert "nothing to do" in out
    assert Person.objects.count() == before


def test_same_seed_same_people(capsys, demo_network):
    def rows():
        return (
            list(Person.objects.order_by("id").values_list("first_name", "last_name", "town")),
            list(Demographics.objects.order_by("id").values_list("groups", "consented_on")),
            list(VoterRegistration.objects.order_by("id").values_list("status", "asked_on")),
            list(Election.objects.order_by("id").values_list("name", "held_on")),
        )

    first = rows()
    seed(capsys, "--seed", str(demo_network.seed), "--reset")
    assert rows() == first  # the issue-14 values rows too: wiped by --reset, made again


def test_negative_people_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", "--force", "--people", "-1")


def test_refuses_where_production_says_debug_is_off_unless_forced(settings, monkeypatch):
    from django.core.management import CommandError

    settings.DEBUG = False
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    with pytest.raises(CommandError, match="DJANGO_DEBUG=0.*--force"):
        call_command("seed_demo", "--people", "10")
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--people", "10", "--reset")
    assert not Congregation.objects.exists() and not User.objects.exists()


def test_runs_where_debug_is_not_set_at_all(settings, monkeypatch):
    """A fresh checkout (and the design contract's check) runs `manage.py seed_demo` with no
    environment: nothing there says production."""
    settings.DEBUG = False
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    call_command("seed_demo", "--people", "10")
    assert Congregation.objects.count() == 37


def test_runs_on_a_developer_machine(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--people", "10")
    assert Congregation.objects.count() == 37
