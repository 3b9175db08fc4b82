"""Factories for the dues ledger."""

import datetime
import uuid

import factory

from congregations.models import DuesTier, EntryKind, LedgerEntry
from tests.factories import CongregationFactory


class DuesTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesTier
        django_get_or_create = ("name",)

    name = "Standard"
    annual_amount_cents = 180_000


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    congregation = factory.SubFactory(CongregationFactory)
    kind = EntryKind.ADJUSTMENT
    amount_cents = 10_000
    fiscal_year = 2026
    effective_on = datetime.date(2025, 9, 1)
    memo = "test entry"
    idempotency_key = factory.LazyFunction(lambda: f"test:{uuid.uuid4().hex}")
