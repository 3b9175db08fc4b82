"""The four roles of DESIGN.md and what each may see. Scoping itself lives in the selectors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    ORGANIZER = "organizer", _("Organizer")
    LEAD = "lead", _("Congregation lead")
    LEADER = "leader", _("Leader")


def sees_whole_network(user) -> bool:
    """Admins, and organizers marked network-wide, see every congregation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.ADMIN or (user.role == Role.ORGANIZER and user.network_wide)
