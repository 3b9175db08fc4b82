"""Factories for campaigns and actions (used by tests/campaigns and tests/actions)."""

import datetime

import factory
from django.utils import timezone

from actions.models import Action, ActionKind, Attendance, TurnoutPledge
from campaigns.models import Campaign, Commitment, Issue, Stage, Target


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    name = factory.Sequence(lambda n: f"Issue {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    issue = factory.SubFactory(IssueFactory)
    goal = "Every family in a safe home"
    stage = Stage.RELATE

    @factory.post_generation
    def congregations(self, create, extracted, **kwargs):
        if create and extracted:
            self.congregations.add(*extracted)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    name = factory.Sequence(lambda n: f"Official {n}")
    office = "Mayor"
    jurisdiction = "Hartford"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    kind = ActionKind.ASSEMBLY
    title = factory.Sequence(lambda n: f"Housing assembly {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Bushnell Park"
    turnout_goal = 300

    @factory.post_generation
    def congregations(self, create, extracted, **kwargs):
        if create and extracted:
            self.congregations.add(*extracted)


class PastActionFactory(ActionFactory):
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))


class DoorOpenActionFactory(ActionFactory):
    """An action starting in half an hour: its door check-in is open."""

    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=30))


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TurnoutPledge

    action = factory.SubFactory(ActionFactory)
    pledged = 40


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    action = factory.SubFactory(ActionFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    target = factory.SubFactory(TargetFactory)
    ask = "Fund 200 units of deeply affordable housing"
    answer = "yes"  # a promise, the case most tests are about
