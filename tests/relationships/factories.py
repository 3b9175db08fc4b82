"""factory-boy factories for relational meetings."""

import datetime

import factory

from relationships import tallies
from relationships.models import FollowUp, HouseMeeting, IssueHeard, OneOnOne
from tests.factories import CongregationFactory, PersonFactory, UserFactory


class IssueHeardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueHeard
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"issue {n}")


class CountedMeetingFactory(factory.django.DjangoModelFactory):
    """Meetings made the way the services make them: issues set, then the tallies refreshed
    (relationships.tallies), so homes and the roll-up see them. Pass `issues=[...]`."""

    class Meta:
        abstract = True

    @factory.post_generation
    def issues(self, create, extracted, **kwargs):
        if create and extracted:
            self.issues.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            cls._counted(instance)


class OneOnOneFactory(CountedMeetingFactory):
    class Meta:
        model = OneOnOne

    _counted = staticmethod(tallies.one_on_one_counted)

    author = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    held_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 20))
    notes = "Grew up in Bridgeport; worried about her son's school."


class HouseMeetingFactory(CountedMeetingFactory):
    class Meta:
        model = HouseMeeting

    _counted = staticmethod(tallies.house_meeting_counted)

    congregation = factory.SubFactory(CongregationFactory)
    facilitator = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 18))
    notes = "Twelve people; rent increases came up again and again."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    due_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 27))
