"""The relational tallies (issue 16): the homes' going-cold and rising lists and the listening
roll-up read summary rows; every write path keeps them equal to counting the meetings."""

import datetime
import random
from collections import Counter

import pytest
from freezegun import freeze_time

from conect.access import Role
from members.models import Level
from members.services import person_merge
from relationships import services
from relationships.models import ListeningTally, OneOnOne, PersonContact, Potential
from relationships.reports import _exact_counts, _tallied_counts, listening_rollup
from relationships.selectors import going_cold, rising
from relationships.tallies import tallies_rebuild
from relationships.tasks import tallies_rebuild_task
from tests.factories import CongregationFactory, PersonFactory, UserFactory

from .factories import HouseMeetingFactory, IssueHeardFactory, OneOnOneFactory

TODAY = datetime.date(2026, 11, 25)


def _rows(counted) -> dict:
    """{(issue, month, congregation): meetings}, whichever way the rows were split."""
    cells: Counter = Counter()
    for issue_id, month, congregation_id, n in counted:
        cells[issue_id, month, congregation_id] += n
    return dict(cells)


def test_logging_a_one_on_one_shows_at_once_on_the_lists_and_the_rollup(
    organizer, congregation, housing
):
    person = PersonFactory(congregation=congregation, level=Level.PARTICIPANT)
    for days in (3, 10):
        services.one_on_one_log(
            by=organizer,
            person=person,
            held_on=TODAY - datetime.timedelta(days=days),
            potential=Potential.HIGH,
            issues=[housing],
        )
    assert not rising(PersonFactory._meta.model.objects.filter(pk=person.pk)).exists()
    services.one_on_one_log(by=organizer, person=person, held_on=TODAY, issues=[housing])
    contact = PersonContact.objects.get(person=person)
    assert (contact.meetings, contact.high_potential, contact.last_met_on) == (3, 2, TODAY)
    assert list(rising(PersonFactory._meta.model.objects.all())) == [person]
    with freeze_time("2026-11-25 15:00"):
        rollup = listening_rollup(organizer)
    assert rollup["rows"][0]["total"] == 3


def test_going_cold_reads_the_last_meeting(organizer, congregation):
    leader = PersonFactory(congregation=congregation, level=Level.LEADER)
    OneOnOneFactory(person=leader, held_on=TODAY - datetime.timedelta(days=100))
    people = PersonFactory._meta.model.objects.all()
    assert list(going_cold(people, TODAY, 60)) == [leader]
    services.one_on_one_log(by=organizer, person=leader, held_on=TODAY)  # warmed up again
    assert not going_cold(people, TODAY, 60).exists()


def test_an_admin_edit_moves_the_meeting_between_months(client, login, admin_user, housing):
    meeting = OneOnOneFactory(held_on=datetime.date(2026, 10, 5), issues=[housing])
    assert ListeningTally.objects.get().month == datetime.date(2026, 10, 1)
    login(client, admin_user)
    url = f"/admin/relationships/oneonone/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "issues"}
    data.update(held_on="2026-11-02", issues=[housing.pk], author=meeting.author_id)
    data.update(person=meeting.person_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tally = ListeningTally.objects.get()
    assert (tally.month, tally.heard) == (datetime.date(2026, 11, 1), 1)
    client.post(f"/admin/relationships/oneonone/{meeting.pk}/delete/", {"post": "yes"})
    assert not ListeningTally.objects.exists()
    assert not PersonContact.objects.exists()


def test_a_merge_moves_the_contact_tally(admin_user, congregation):
    survivor = PersonFactory(congregation=congregation, first_name="Ana", last_name="Diaz")
    duplicate = PersonFactory(congregation=congregation, first_name="Ana", last_name="Díaz")
    OneOnOneFactory(person=duplicate, held_on=TODAY)
    person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)
    contact = PersonContact.objects.get()
    assert (contact.person_id, contact.meetings) == (survivor.pk, 1)


@pytest.mark.parametrize("role", ["network", "scoped", "leader"])
def test_tallied_rollup_equals_counting_the_meetings(db, role):
    """Random meetings over two congregations and a null one, written behind the services'
    back then rebuilt by beat's task: the tallied roll-up equals the exact one for each role."""
    rng = random.Random(16)
    ours, theirs = CongregationFactory(), CongregationFactory()
    user = {
        "network": lambda: UserFactory(role=Role.ORGANIZER, network_wide=True),
        "scoped": lambda: UserFactory(role=Role.ORGANIZER, congregations=[ours]),
        "leader": lambda: UserFactory(role=Role.LEADER),
    }[role]()
    issues = [IssueHeardFactory(name=name) for name in ("housing", "wages", "schools")]
    people = [PersonFactory(congregation=rng.choice([ours, theirs])) for _ in range(6)]
    for _ in range(60):
        meeting = OneOnOne.objects.create(
            author=user if rng.random() < 0.3 else UserFactory(),
            person=rng.choice(people),
            congregation=rng.choice([ours, theirs, None]),
            held_on=TODAY - datetime.timedelta(days=rng.randrange(400)),
            potential=rng.choice(["", Potential.HIGH]),
        )
        meeting.issues.set(rng.sample(issues, rng.randrange(1, 3)))
    for _ in range(10):
        HouseMeetingFactory(
            congregation=rng.choice([ours, theirs]),
            held_on=TODAY - datetime.timedelta(days=rng.randrange(400)),
            issues=rng.sample(issues, 2),
        )
    tallies_rebuild_task.delay()
    since, until = datetime.date(2025, 12, 1), TODAY
    with freeze_time("2026-11-25 15:00"):
        tallied = _tallied_counts(user, None, since, until)
        exact = _exact_counts(user, None, since, until)
        if role == "leader":
            assert tallied is None  # a leader's own meetings are counted exactly
        else:
            assert _rows(tallied) == _rows(exact) != {}
    counts = {c.person_id: c.meetings for c in PersonContact.objects.all()}
    for person in people:
        assert counts.get(person.pk, 0) == OneOnOne.objects.filter(person=person).count()


def test_rebuild_writes_nothing_when_nothing_changed(housing):
    OneOnOneFactory(issues=[housing])
    tallies_rebuild()
    before = list(PersonContact.objects.values_list())
    tallies_rebuild()
    assert list(PersonContact.objects.values_list()) == before
