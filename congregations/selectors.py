"""Reads of congregations, already scoped to the user asking."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.config import conect_setting

from .fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from .models import (
    Congregation,
    CongregationStatus,
    CongregationTally,
    EntryKind,
    LedgerEntry,
    Membership,
    MembershipRole,
    OtherIncome,
)


def congregations_visible_to(user) -> QuerySet[Congregation]:
    """The congregations `user` may see (conect.access decides which)."""
    ids = access.visible_congregation_ids(user)
    if ids is None:
        return Congregation.objects.all()
    return Congregation.objects.filter(pk__in=ids)


def congregations_with_counts(congregations: QuerySet[Congregation]) -> QuerySet[Congregation]:
    """Congregations with their people, core-team and leader counts, from the tallies
    (congregations.tallies: current within a minute), by name: one query, no count per request."""
    return congregations.annotate(
        people_count=Coalesce(F("tally__people"), 0),
        core_team_count=Coalesce(F("tally__core_team"), 0),
        leader_count=Coalesce(F("tally__leaders"), 0),
    ).order_by("name")


def ladder_counts_of(congregation_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{congregation id: {level: people}} for these congregations, from the tallies: one query."""
    rows = CongregationTally.objects.filter(congregation_id__in=list(congregation_ids))
    return dict(rows.values_list("congregation_id", "levels"))


def core_team_of(congregation: Congregation) -> QuerySet[Membership]:
    """The congregation's own core team (memberships with the core-team role there), by name."""
    return (
        Membership.objects.filter(
            congregation=congregation,
            role=MembershipRole.CORE_TEAM,
            person__archived_at__isnull=True,
        )
        .select_related("person")
        # Sorted as expressions: PostgreSQL finds the core team through the congregation's
        # memberships and sorts those, instead of walking the whole people name index in order
        # to stop after the first few (0.7 s at 1,000,000 people).
        .order_by(Lower("person__last_name"), Lower("person__first_name"), "person_id")
    )


def core_team_congregation_ids(user) -> set[int]:
    """Congregations whose core team `user` belongs to: as a lead, or as a core-team member."""
    if not access.signed_in(user):
        return set()
    ids = set(
        Membership.objects.filter(person__user=user, role=MembershipRole.CORE_TEAM).values_list(
            "congregation_id", flat=True
        )
    )
    if user.role == access.Role.LEAD:
        ids.update(user.congregations.values_list("pk", flat=True))
    return ids


def primary_memberships_prefetch() -> Prefetch:
    """Prefetch a person's primary membership with its congregation as `primary_memberships`."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(is_primary=True).select_related("congregation"),
        to_attr="primary_memberships",
    )


def primary_congregation_ids(person_ids) -> dict[int, int]:
    """{person id: their primary congregation's id} for `person_ids`, in one query."""
    return dict(
        Membership.objects.filter(person_id__in=person_ids, is_primary=True).values_list(
            "person_id", "congregation_id"
        )
    )


def leads_of(congregation_ids) -> dict[int, list]:
    """{congregation id: [its active leads (users), oldest login first]}: one query."""
    links = (
        Congregation.users.through.objects.filter(
            congregation_id__in=list(congregation_ids),
            user__role=access.Role.LEAD,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    leads: dict[int, list] = {}
    for link in links:
        leads.setdefault(link.congregation_id, []).append(link.user)
    return leads


# --- Dues ledger reads ------------------------------------------------------------------------


def dues_congregations_visible_to(user) -> QuerySet[Congregation]:
    """Congregations whose dues `user` may see: admins and organizers their usual scope, a lead
    their own congregation(s); leaders none (dues are not theirs to see)."""
    if not access.is_staff_or_lead(user):
        return Congregation.objects.none()
    return congregations_visible_to(user)


def ledger_entries_visible_to(user) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        congregation__in=dues_congregations_visible_to(user).values("pk")
    )


def _subtotal(entries: QuerySet) -> Coalesce:
    """Sum of amount_cents of `entries` (already filtered on congregation=OuterRef("pk"))."""
    total = entries.order_by().values("congregation").annotate(t=Sum("amount_cents")).values("t")
    return Coalesce(Subquery(total[:1]), Value(0), output_field=BigIntegerField())


def _charges():
    """Entries that add to what is owed and still stand: positive, not a reversal, not reversed.
    A reversed charge and its reversal cancel out, so both stay out of the aging arithmetic."""
    return LedgerEntry.objects.filter(
        congregation=OuterRef("pk"), amount_cents__gt=0, reversed_by__isnull=True
    ).exclude(kind=EntryKind.REVERSAL)


def congregations_with_dues(
    congregations: QuerySet[Congregation], *, today: datetime.date | None = None
) -> QuerySet[Congregation]:
    """`congregations` annotated with what `Congregation.dues` needs, for many at once: a few
    correlated subqueries per row (indexed), so lists stay at one query whatever their length."""
    today = today or timezone.localdate()
    year = fiscal_year_of(today)
    arrears_days = conect_setting("DUES_ARREARS_DAYS")
    mine = LedgerEntry.objects.filter(congregation=OuterRef("pk"))
    standing = mine.filter(fiscal_year=year, reversed_by__isnull=True)
    windows = {
        f"dues_recent_{days}": _subtotal(
            _charges().filter(effective_on__gte=today - datetime.timedelta(days=days))
        )
        for days in sorted({30, 60, 90, arrears_days})
    }
    return congregations.annotate(
        dues_balance=_subtotal(mine),
        dues_assessed=_subtotal(standing.filter(kind=EntryKind.ASSESSMENT)),
        dues_paid=_subtotal(standing.filter(kind=EntryKind.PAYMENT)),
        dues_today=Value(today, output_field=DateField()),
        **windows,
    )


@dataclass(frozen=True)
class DuesStanding:
    """A congregation's dues position on a day. Amounts in cents; `paid_cents` is positive."""

    fiscal_year: int
    balance_cents: int
    assessed_cents: int
    paid_cents: int
    aging: tuple[int, int, int, int]  # owed for 0–30, 31–60, 61–90, 90+ days
    overdue_cents: int  # owed for longer than `arrears_days`
    arrears_days: int
    status: str = CongregationStatus.MEMBER  # the congregation's membership status

    @property
    def in_good_standing(self) -> bool:
        """A member congregation that owes nothing old: owing nothing does not make a lapsed
        congregation or a prospect one in good standing."""
        return self.status == CongregationStatus.MEMBER and not self.in_arrears

    @property
    def label(self) -> str:
        if self.in_arrears:
            return str(STANDING_LABELS["arrears"])
        if self.status in STANDING_LABELS:
            return str(STANDING_LABELS[self.status])
        return str(STANDING_LABELS["good"])

    @property
    def tone(self) -> str:
        """The badge's colour class for `label`."""
        if self.in_arrears:
            return "text-bg-danger"
        return "text-bg-success" if self.in_good_standing else "text-bg-secondary"

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def in_arrears(self) -> bool:
        return self.overdue_cents > 0

    @property
    def oldest_bucket(self) -> str:
        """The label of the oldest aging bucket holding money, '' when nothing is owed."""
        labels = [label for _amount, label in self.buckets]
        oldest = [label for amount, label in zip(self.aging, labels, strict=True) if amount]
        return str(oldest[-1]) if oldest else ""

    @property
    def buckets(self) -> list[tuple[int, str]]:
        return [
            (amount, str(label)) for amount, label in zip(self.aging, AGING_LABELS, strict=True)
        ]


AGING_LABELS = (_("0–30 days"), _("31–60 days"), _("61–90 days"), _("90+ days"))
STANDING_LABELS = {
    "arrears": _("in arrears"),
    "good": _("in good standing"),
    CongregationStatus.LAPSED: _("lapsed: not a member now"),
    CongregationStatus.PROSPECT: _("prospect: no dues yet"),
}


def standing_from_totals(
    *,
    year: int,
    balance: int,
    assessed: int,
    paid: int,
    recent: dict[int, int],
    status: str = CongregationStatus.MEMBER,
) -> DuesStanding:
    """FIFO aging: payments settle the oldest charges first, so what is still owed is made of the
    newest charges; the part of the balance older than d days is balance − charges of the last d
    days (never below zero)."""
    arrears_days = conect_setting("DUES_ARREARS_DAYS")

    def older_than(days: int) -> int:
        return max(0, balance - recent[days]) if balance > 0 else 0

    owed = max(balance, 0)
    o30, o60, o90 = older_than(30), older_than(60), older_than(90)
    return DuesStanding(
        fiscal_year=year,
        balance_cents=balance,
        assessed_cents=assessed,
        paid_cents=-paid,
        aging=(owed - o30, o30 - o60, o60 - o90, o90),
        overdue_cents=older_than(arrears_days),
        arrears_days=arrears_days,
        status=status,
    )


def dues_standing(congregation: Congregation) -> DuesStanding:
    """The standing of one congregation, from `congregations_with_dues` annotations if present."""
    annotated: Any = congregation  # carries the dues_* annotations
    if not hasattr(annotated, "dues_balance"):
        annotated = congregations_with_dues(Congregation.objects.filter(pk=congregation.pk)).get()
    recent = {
        int(name.rsplit("_", 1)[1]): value
        for name, value in vars(annotated).items()
        if name.startswith("dues_recent_")
    }
    return standing_from_totals(
        year=fiscal_year_of(annotated.dues_today),
        balance=annotated.dues_balance,
        assessed=annotated.dues_assessed,
        paid=annotated.dues_paid,
        recent=recent,
        status=annotated.status,
    )


def dues_statement(
    congregation: Congregation, *, fiscal_year: int | None = None
) -> tuple[int, QuerySet[LedgerEntry]]:
    """(opening balance, entries in date order each with the running balance after it), for
    one fiscal year, or for all time when `fiscal_year` is None (opening balance 0)."""
    entries = LedgerEntry.objects.filter(congregation=congregation)
    opening = 0
    if fiscal_year is not None:
        first, last = fiscal_year_bounds(fiscal_year)
        before = entries.filter(effective_on__lt=first).aggregate(t=Sum("amount_cents"))["t"]
        opening = before or 0
        entries = entries.filter(effective_on__range=(first, last))
    order = [F("effective_on").asc(), F("id").asc()]
    running = Window(Sum("amount_cents"), order_by=order) + Value(opening)
    statement = (
        entries.select_related("created_by", "reversed_by")
        .annotate(running_balance=ExpressionWrapper(running, output_field=BigIntegerField()))
        .order_by("effective_on", "id")
    )
    return opening, statement


def dues_fiscal_years(congregation: Congregation) -> list[int]:
    """The fiscal years that have entries for `congregation`, newest first."""
    years = LedgerEntry.objects.filter(congregation=congregation).values_list(
        "fiscal_year", flat=True
    )
    return sorted(set(years.distinct().order_by()), reverse=True)


def dues_network_totals(congregations: list[Congregation]) -> dict:
    """Totals over congregations annotated by `congregations_with_dues` (no further query)."""
    standings = [c.dues for c in congregations]
    assessed = sum(s.assessed_cents for s in standings)
    paid = sum(s.paid_cents for s in standings)
    return {
        "assessed_cents": assessed,
        "paid_cents": paid,
        "balance_cents": sum(s.balance_cents for s in standings),
        "owed_cents": sum(max(s.balance_cents, 0) for s in standings),
        "aging": [sum(s.aging[i] for s in standings) for i in range(4)],
        "collection_rate": round(100 * paid / assessed) if assessed else None,
        "in_arrears": sum(1 for s in standings if s.in_arrears),
        "count": len(standings),
    }


def dues_by_month(
    congregations: QuerySet[Congregation], *, months: int = 12, today: datetime.date | None = None
) -> list[dict]:
    """Dues assessed and paid per calendar month, the last `months` months: one query."""
    today = today or timezone.localdate()
    first = datetime.date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        LedgerEntry.objects.filter(
            congregation__in=congregations.values("pk"),
            effective_on__gte=first,
            effective_on__lte=today,
            kind__in=[EntryKind.ASSESSMENT, EntryKind.PAYMENT],
            reversed_by__isnull=True,
        )
        .annotate(month=TruncMonth("effective_on"))
        .values("month", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    totals: dict[tuple[datetime.date, str], int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        totals[(month, row["kind"])] = row["total"]
    series, month = [], first
    for _i in range(months):
        series.append(
            {
                "month": month,
                "assessed_cents": totals.get((month, EntryKind.ASSESSMENT), 0),
                "paid_cents": -totals.get((month, EntryKind.PAYMENT), 0),
            }
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return series


def other_income_visible_to(user) -> QuerySet[OtherIncome]:
    """Other income is the admin's business only."""
    if access.is_admin(user):
        return OtherIncome.objects.select_related("created_by")
    return OtherIncome.objects.none()


def payment_like(
    *, congregation: Congregation, amount_cents: int, received_on: datetime.date, reference: str
) -> LedgerEntry | None:
    """The earliest payment still standing (not reversed) from `congregation` of the same amount,
    date and reference (case and spaces aside) recorded within CONECT["DUPLICATE_PAYMENT_DAYS"]:
    what a second such payment most likely repeats."""
    since = timezone.now() - datetime.timedelta(days=conect_setting("DUPLICATE_PAYMENT_DAYS"))
    return (
        LedgerEntry.objects.filter(
            congregation=congregation,
            kind=EntryKind.PAYMENT,
            amount_cents=-amount_cents,
            effective_on=received_on,
            reference__iexact=reference.strip(),
            created_at__gte=since,
            reversed_by__isnull=True,
        )
        .order_by("created_at", "pk")
        .first()
    )
