"""The leadership ladder, one vocabulary for every app: member → participant → leader →
core team → key leader. The ground floor: imports no app."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The leadership ladder, lowest rung first."""

    MEMBER = "member", _("Member")
    PARTICIPANT = "participant", _("Participant")
    LEADER = "leader", _("Leader")
    CORE_TEAM = "core_team", _("Core team")
    KEY_LEADER = "key_leader", _("Key leader")


LADDER = [value for value, _label in Level.choices]  # lowest rung first
LEADER_LEVELS = [Level.LEADER, Level.CORE_TEAM, Level.KEY_LEADER]  # leader and up


def ladder_counts(counts: dict[str, int]) -> list[tuple[str | Promise, int]]:
    """(label, count) for every rung, lowest first, from {level: count}."""
    return [(label, counts.get(value, 0)) for value, label in Level.choices]
