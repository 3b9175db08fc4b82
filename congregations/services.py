"""Writes of the congregations app: the dues ledger's business verbs.

Every entry goes through these functions (views, the admin-free staff forms, assess_dues, the
Celery task and seed_demo's shapes all follow them), so the rules live in one place: amounts in
integer cents, one assessment per congregation × fiscal year, one reversal per entry, and an
idempotency key on every entry so a retried request or task never posts twice.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conect import audit

from .fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, months_remaining
from .models import (
    Congregation,
    CongregationStatus,
    EntryKind,
    LedgerEntry,
    OtherIncome,
    PaymentMethod,
)
from .selectors import payment_like


class LedgerError(Exception):
    """A ledger operation refused for a business reason; the message is shown to the user."""


class DuplicatePayment(LedgerError):
    """A payment like one recorded recently (`first`): refused unless the admin says why it is
    another payment."""

    def __init__(self, first: LedgerEntry):
        self.first = first
        super().__init__(
            _("This payment looks already recorded as entry #%(pk)s.") % {"pk": first.pk}
        )


def _post(**fields) -> tuple[LedgerEntry, bool]:
    """Insert one entry unless its idempotency key is already there: (entry, created).

    The unique key decides races: the loser's INSERT fails inside its savepoint and it returns
    the winner's row, so a double-submitted form or a retried task posts exactly once."""
    key = fields["idempotency_key"]
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(**fields), True
    except IntegrityError:
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False


def _same_request(entry: LedgerEntry, **fields) -> None:
    for name, value in fields.items():
        if getattr(entry, name) != value:
            raise LedgerError(
                _("This form was already used to post a different entry (#%(pk)s).")
                % {"pk": entry.pk}
            )


@transaction.atomic
def ledger_payment_record(
    *,
    congregation: Congregation,
    amount_cents: int,
    received_on: datetime.date,
    method: str,
    idempotency_key: str,
    by,
    reference: str = "",
    memo: str = "",
    duplicate_reason: str = "",
) -> tuple[LedgerEntry, bool]:
    """Record a payment received from `congregation`. Returns (entry, created): the same key
    posted twice returns the first entry with created=False.

    Money is entered once: a payment with another key but the same congregation, amount, date
    and reference as one recorded in the last CONECT["DUPLICATE_PAYMENT_DAYS"] days (and not
    reversed) raises DuplicatePayment, unless `duplicate_reason` says why it is another
    payment; the entry then records which one it resembles and why."""
    if amount_cents <= 0:
        raise LedgerError(_("A payment must be more than zero."))
    if method not in PaymentMethod.values:
        raise LedgerError(_("Choose how the payment was made."))
    reference, duplicate_reason = reference.strip(), duplicate_reason.strip()
    key = f"payment:{idempotency_key}"
    # One payment at a time per congregation, so two twins typed at once cannot both pass.
    Congregation.objects.select_for_update().filter(pk=congregation.pk).first()
    first = None
    if not LedgerEntry.objects.filter(idempotency_key=key).exists():
        first = payment_like(
            congregation=congregation,
            amount_cents=amount_cents,
            received_on=received_on,
            reference=reference,
        )
        if first is not None and not duplicate_reason:
            raise DuplicatePayment(first)
    entry, created = _post(
        congregation=congregation,
        kind=EntryKind.PAYMENT,
        amount_cents=-amount_cents,
        fiscal_year=fiscal_year_of(received_on),
        effective_on=received_on,
        method=method,
        reference=reference,
        memo=memo,
        duplicate_of=first,
        duplicate_reason=duplicate_reason if first is not None else "",
        created_by=by,
        idempotency_key=key,
    )
    if not created:
        _same_request(entry, congregation_id=congregation.pk, amount_cents=-amount_cents)
    return entry, created


@transaction.atomic
def ledger_adjustment_post(
    *,
    congregation: Congregation,
    amount_cents: int,
    effective_on: datetime.date,
    memo: str,
    idempotency_key: str,
    by,
) -> tuple[LedgerEntry, bool]:
    """Post an adjustment: positive adds to what is owed, negative is a credit (a waiver)."""
    if amount_cents == 0:
        raise LedgerError(_("An adjustment cannot be zero."))
    if not memo.strip():
        raise LedgerError(_("Say why the adjustment is made."))
    entry, created = _post(
        congregation=congregation,
        kind=EntryKind.ADJUSTMENT,
        amount_cents=amount_cents,
        fiscal_year=fiscal_year_of(effective_on),
        effective_on=effective_on,
        memo=memo,
        created_by=by,
        idempotency_key=f"adjustment:{idempotency_key}",
    )
    if not created:
        _same_request(entry, congregation_id=congregation.pk, amount_cents=amount_cents)
    return entry, created


@transaction.atomic
def ledger_entry_reverse(
    *, entry: LedgerEntry, by, memo: str, on: datetime.date | None = None
) -> LedgerEntry:
    """Cancel `entry` with an equal and opposite reversal. An entry is reversed at most once
    (a unique constraint, so two concurrent reversals cannot both succeed)."""
    if entry.kind == EntryKind.REVERSAL:
        raise LedgerError(_("A reversal cannot itself be reversed: post a new entry instead."))
    if not memo.strip():
        raise LedgerError(_("Say why the entry is reversed."))
    already = _("Entry #%(pk)s has already been reversed.") % {"pk": entry.pk}
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(already)
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                congregation_id=entry.congregation_id,
                kind=EntryKind.REVERSAL,
                amount_cents=-entry.amount_cents,
                fiscal_year=entry.fiscal_year,
                effective_on=on,
                memo=memo,
                reverses=entry,
                created_by=by,
                idempotency_key=f"reversal:{entry.pk}",
            )
    except IntegrityError:
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise LedgerError(already) from None
        raise


def assessment_amount(annual_cents: int, year: int, joined_on: datetime.date | None) -> int:
    """The assessment for fiscal year `year`, prorated by whole months for a mid-year joiner
    (rounded half up to the cent)."""
    months = months_remaining(year, joined_on)
    return (annual_cents * months * 2 + 12) // 24


@dataclass
class AssessmentRun:
    fiscal_year: int
    posted: list[LedgerEntry] = field(default_factory=list)
    already: int = 0
    without_tier: list[Congregation] = field(default_factory=list)
    not_yet_members: list[Congregation] = field(default_factory=list)


@transaction.atomic
def dues_assess_year(*, fiscal_year: int, by=None, dry_run: bool = False) -> AssessmentRun:
    """Post one assessment per member congregation for `fiscal_year`, by its tier, prorated for
    congregations that joined during the year. Idempotent: congregations already assessed for
    the year are skipped, and the key `assessment:<congregation>:<year>` makes a concurrent run
    harmless too."""
    run = AssessmentRun(fiscal_year=fiscal_year)
    first, last = fiscal_year_bounds(fiscal_year)
    assessed = set(
        LedgerEntry.objects.filter(kind=EntryKind.ASSESSMENT, fiscal_year=fiscal_year).values_list(
            "congregation_id", flat=True
        )
    )
    members = Congregation.objects.filter(status=CongregationStatus.MEMBER).select_related(
        "dues_tier"
    )
    for congregation in members.order_by("name"):
        if congregation.pk in assessed:
            run.already += 1
            continue
        if congregation.dues_tier is None:
            run.without_tier.append(congregation)
            continue
        tier = congregation.dues_tier
        months = months_remaining(fiscal_year, congregation.joined_on)
        if months == 0:
            run.not_yet_members.append(congregation)
            continue
        amount = assessment_amount(tier.annual_amount_cents, fiscal_year, congregation.joined_on)
        memo = f"{fiscal_year_label(fiscal_year)} dues, {tier.name} tier"
        if months < 12 and congregation.joined_on:
            memo += f", prorated {months}/12 (joined {congregation.joined_on.isoformat()})"
        fields = {
            "congregation": congregation,
            "kind": EntryKind.ASSESSMENT,
            "amount_cents": amount,
            "fiscal_year": fiscal_year,
            "effective_on": max(first, congregation.joined_on or first),
            "memo": memo,
            "created_by": by,
            "idempotency_key": assessment_key(congregation.pk, fiscal_year),
        }
        if dry_run:
            run.posted.append(LedgerEntry(**fields))
            continue
        with transaction.atomic():
            entry, created = _post(**fields)
        if created:
            run.posted.append(entry)
        else:
            run.already += 1
    return run


def assessment_key(congregation_id: int, fiscal_year: int) -> str:
    return f"assessment:{congregation_id}:{fiscal_year}"


@transaction.atomic
def other_income_record(*, by, **fields) -> OtherIncome:
    """Record a donation or grant (never dues, never government money: `OtherIncome.clean`)."""
    income = OtherIncome(created_by=by, **fields)
    income.full_clean()
    income.save()
    return income


def dues_statement_export_record(
    *, congregation: Congregation, fiscal_year: int | None, by
) -> None:
    """Record in the audit log who downloaded which congregation's statement, for which year
    (None: every year)."""
    audit.record(
        by=by,
        action=audit.EXPORT,
        **audit.about(congregation),
        export="dues statement",
        filters={"fiscal_year": fiscal_year},
    )
