"""The rising list reads a copy of each person's rung kept on their contact tally (issue 16):
the index holds only people low on the ladder, so a scoped list no longer walks the thousands
of leaders met most often. The copy follows every ladder move and every recount."""

import datetime

from members.models import Level, Person
from members.services import person_move_on_ladder
from relationships import services
from relationships.models import PersonContact, Potential
from relationships.selectors import local_today, rising
from relationships.tallies import tallies_rebuild
from tests.factories import PersonFactory

from .factories import OneOnOneFactory


def _met_three_times(organizer, person):
    for days in (1, 8, 15):
        services.one_on_one_log(
            by=organizer,
            person=person,
            held_on=local_today() - datetime.timedelta(days=days),
            potential=Potential.HIGH,
        )


def test_a_demoted_leader_rises_again_at_once(organizer, admin_user, congregation):
    person = PersonFactory(congregation=congregation, level=Level.LEADER)
    _met_three_times(organizer, person)
    assert PersonContact.objects.get(person=person).level == Level.LEADER
    assert not rising(Person.objects.all()).exists()
    person_move_on_ladder(person=person, to_level=Level.PARTICIPANT, by=admin_user, reason="x")
    assert PersonContact.objects.get(person=person).level == Level.PARTICIPANT
    assert list(rising(Person.objects.all())) == [person]
    person_move_on_ladder(person=person, to_level=Level.LEADER, by=admin_user, reason="y")
    assert not rising(Person.objects.all()).exists()


def test_the_rebuild_copies_the_rung_written_behind_its_back(congregation):
    person = PersonFactory(congregation=congregation, level=Level.LEADER)
    for _ in range(3):
        OneOnOneFactory(person=person, potential=Potential.HIGH)
    Person.objects.filter(pk=person.pk).update(level=Level.MEMBER)  # no signal: a bulk write
    assert not rising(Person.objects.all()).exists()
    tallies_rebuild()
    assert PersonContact.objects.get(person=person).level == Level.MEMBER
    assert list(rising(Person.objects.all())) == [person]
