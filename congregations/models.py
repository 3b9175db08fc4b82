from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Tradition(models.TextChoices):
    CHRISTIAN = "christian", _("Christian")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    QUAKER = "quaker", _("Quaker")
    UNITARIAN = "unitarian", _("Unitarian")
    OTHER = "other", _("Other")


class CongregationStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    PROSPECT = "prospect", _("Prospect")
    LAPSED = "lapsed", _("Lapsed")


class Congregation(models.Model):
    """A member (or prospective) congregation: the unit of CONECT's work."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    tradition = models.CharField(_("tradition"), max_length=20, choices=Tradition.choices)
    denomination = models.CharField(_("denomination"), max_length=120, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100)
    zip = models.CharField(_("ZIP code"), max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CongregationStatus.choices,
        default=CongregationStatus.MEMBER,
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    dues_tier = models.ForeignKey(
        "DuesTier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="congregations",
        verbose_name=_("dues tier"),
    )

    class Meta:
        verbose_name = _("congregation")
        verbose_name_plural = _("congregations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("congregations:detail", args=[self.slug])

    def get_dues_url(self) -> str:
        return reverse("congregations:dues", args=[self.slug])

    @cached_property
    def dues(self):
        """This congregation's DuesStanding: from the annotations of
        `congregations_with_dues()` when present (lists), else one query."""
        from .selectors import dues_standing  # reason: selectors import these models

        return dues_standing(self)


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CORE_TEAM = "core_team", _("Core team")
    CLERGY = "clergy", _("Clergy")


class Membership(models.Model):
    """A person belongs to a congregation; one membership per person is the primary one."""

    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    congregation = models.ForeignKey(
        Congregation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("congregation"),
    )
    is_primary = models.BooleanField(_("primary"), default=True)
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "congregation"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(is_primary=True),
                name="membership_one_primary",
            ),
        ]
        indexes = [
            models.Index(fields=["congregation", "person"], name="membership_cong_idx"),
            # A congregation's core team (its page, the lead's cards): a few dozen rows found
            # directly instead of every membership of the congregation filtered by role (at
            # 1,000,000 people, 62,000 memberships read for 2,472: 94 ms).
            models.Index(
                fields=["congregation", "person"],
                condition=models.Q(role=MembershipRole.CORE_TEAM),
                name="membership_core_team_idx",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.congregation}"


# --- Dues ledger (DESIGN.md "Dues ledger") ------------------------------------------------------


class DuesTier(models.Model):
    """A dues level: what a member congregation is assessed for a full fiscal year."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    annual_amount_cents = models.PositiveIntegerField(_("annual amount (cents)"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dues tier")
        verbose_name_plural = _("dues tiers")
        ordering = ["annual_amount_cents", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_amount_cents__gt=0), name="dues_tier_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.name} (${self.annual_amount_cents / 100:,.2f})"


class EntryKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    PAYMENT = "payment", _("Payment")
    ADJUSTMENT = "adjustment", _("Adjustment")
    REVERSAL = "reversal", _("Reversal")


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    ACH = "ach", _("ACH")
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a ledger row (the database refuses it too)."""


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")

    def delete(self):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")


class LedgerEntry(models.Model):
    """One line of a congregation's dues account. Positive amounts are owed to CONECT (an
    assessment, a reversed payment); negative amounts reduce what is owed (a payment).

    Append-only: never updated or deleted (database triggers refuse it, see docs/ledger.md).
    A mistake is corrected by a reversal (at most one per entry) and, if needed, a new entry.
    """

    congregation = models.ForeignKey(
        Congregation,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("congregation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    effective_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    # A payment recorded although it matched an earlier one (same congregation, amount, date and
    # reference): which one, and why it is another payment (congregations.services).
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("looks like"),
    )
    duplicate_reason = models.CharField(_("why it is another payment"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Empty for entries posted by the system (annual assessment)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["effective_on", "id"]
        indexes = [
            # Balances and aging windows: an index-only scan per congregation on PostgreSQL.
            models.Index(
                fields=["congregation", "effective_on", "kind", "amount_cents"],
                name="ledger_cong_date_idx",
            ),
            models.Index(
                fields=["congregation", "fiscal_year", "kind"], name="ledger_cong_year_idx"
            ),
            models.Index(fields=["effective_on"], name="ledger_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_cents=0), name="ledger_amount_not_zero"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="assessment") | models.Q(amount_cents__gt=0),
                name="ledger_assessment_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="payment")
                | (models.Q(amount_cents__lt=0) & ~models.Q(method="")),
                name="ledger_payment_negative_with_method",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="reversal") & models.Q(reverses__isnull=False))
                | (~models.Q(kind="reversal") & models.Q(reverses__isnull=True)),
                name="ledger_reversal_has_original",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2000, fiscal_year__lte=2200),
                name="ledger_fiscal_year_range",
            ),
            models.UniqueConstraint(
                fields=["congregation", "fiscal_year"],
                condition=models.Q(kind="assessment"),
                name="ledger_one_assessment_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(duplicate_of__isnull=True) | ~models.Q(duplicate_reason=""),
                name="ledger_duplicate_has_reason",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.congregation} {self.get_kind_display()} {self.amount_cents}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")


class IncomeKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    GRANT = "grant", _("Grant")


class IncomeSource(models.TextChoices):
    """Who the money comes from, by type: the type decides, never the funder's name (a county's
    community foundation is a foundation, a church on Federal Hill a congregation)."""

    INDIVIDUAL = "individual", _("Individual")
    FOUNDATION = "foundation", _("Foundation")
    CONGREGATION = "congregation", _("Congregation or faith body (not dues)")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other private source")
    # Listed so the form can refuse it with a clear message; the database refuses it too.
    GOVERNMENT = "government", _("Government (not accepted)")


class OtherIncome(models.Model):
    """Money that is not dues: individual donations and foundation grants, kept apart from the
    dues ledger so standings and collection rates only ever count dues."""

    kind = models.CharField(_("kind"), max_length=20, choices=IncomeKind.choices)
    source = models.CharField(
        _("source type"),
        max_length=20,
        choices=IncomeSource.choices,
        help_text=_(
            "What kind of funder it is, whatever its name. CONECT takes no government money, "
            "so its independence is never in question."
        ),
    )
    donor = models.CharField(_("donor or funder"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    received_on = models.DateField(_("received on"))
    restricted = models.BooleanField(_("restricted"), default=False)
    restriction = models.CharField(_("restricted to"), max_length=200, blank=True)
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("other income")
        verbose_name_plural = _("other income")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="income_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(source="government"), name="income_never_government"
            ),
        ]

    def __str__(self):
        return f"{self.donor} ${self.amount_cents / 100:,.2f} ({self.received_on})"

    def clean(self):
        from django.core.exceptions import ValidationError

        message = _(
            "CONECT does not accept government funding, so this income cannot be recorded. "
            "Record only private donations and foundation grants."
        )
        if self.source == IncomeSource.GOVERNMENT:
            raise ValidationError({"source": message})
        if self.restricted and not self.restriction.strip():
            raise ValidationError({"restriction": _("Say what the money is restricted to.")})


# --- Tallies (issue 16): counts kept so that no page counts a million memberships -------------


class CongregationTally(models.Model):
    """A congregation's people (not archived) by ladder level, its leaders and core team.
    Kept by congregations.tallies: right after a membership or a person changes (signals, on
    commit), and rebuilt for every congregation each minute by Celery (CELERY_BEAT_SCHEDULE)."""

    congregation = models.OneToOneField(
        Congregation,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="tally",
        verbose_name=_("congregation"),
    )
    people = models.PositiveIntegerField(_("people"), default=0)
    leaders = models.PositiveIntegerField(_("leaders"), default=0)
    core_team = models.PositiveIntegerField(_("core team"), default=0)
    levels = models.JSONField(_("people by ladder level"), default=dict)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("congregation tally")
        verbose_name_plural = _("congregation tallies")

    def __str__(self):
        return f"{self.congregation_id}: {self.people}"
