"""factory-boy factories for relational meetings."""

import datetime

import factory

from relationships.models import FollowUp, HouseMeeting, IssueHeard, OneOnOne
from tests.factories import CongregationFactory, PersonFactory, UserFactory


class IssueHeardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueHeard
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"issue {n}")


class OneOnOneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OneOnOne

    author = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    held_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 20))
    notes = "Grew up in Bridgeport; worried about her son's school."


class HouseMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseMeeting

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
