import datetime

import factory
from django.utils import timezone

from accountability.models import CommitmentKind, LeaderCommitment, MadeAt
from tests.campaigns.factories import ActionFactory


class LeaderCommitmentFactory(factory.django.DjangoModelFactory):
    """One-on-ones by a date a week away, made at an action. Pass person= (a leader's Person)."""

    class Meta:
        model = LeaderCommitment

    kind = CommitmentKind.ONE_ON_ONES
    target = 3
    made_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda o: o.made_on + datetime.timedelta(days=7))
    made_at = MadeAt.ACTION
    source_action = factory.SubFactory(ActionFactory)
