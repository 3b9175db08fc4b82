from django.db import models
from django.urls import reverse
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

    class Meta:
        verbose_name = _("congregation")
        verbose_name_plural = _("congregations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("congregations:detail", args=[self.slug])


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
        indexes = [models.Index(fields=["congregation", "person"], name="membership_cong_idx")]

    def __str__(self):
        return f"{self.person} · {self.congregation}"
