"""The ladder suggestion rule, in one place: when practice says someone may be ready to move up.

The move itself stays a human decision with a reason (a LeadershipChange row made by a person).
`practice` is relationships.selectors.person_practice(person) (one-on-ones held and had, house
meetings hosted and attended) plus what the actions app counts: actions attended, and yeses kept
(said yes to a past action and came) — home.views.person_practice puts them together.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from conect.ladder import Level

# For each rung: the next rung and the practice that suggests it (all thresholds must be met).
RULES: dict[str, tuple[str, dict[str, int], Any]] = {
    Level.MEMBER: (Level.PARTICIPANT, {"had": 2}, _("has had two one-on-ones")),
    Level.PARTICIPANT: (Level.LEADER, {"held": 3}, _("has held three one-on-ones")),
    Level.LEADER: (
        Level.CORE_TEAM,
        {"held": 10, "hosted": 1},
        _("has held ten one-on-ones and hosted a house meeting"),
    ),
    Level.CORE_TEAM: (
        Level.KEY_LEADER,
        {"held": 30, "hosted": 3},
        _("has held thirty one-on-ones and hosted three house meetings"),
    ),
}
# Coming to a house meeting or an action is a first step for a member, like two one-on-ones.
MEMBER_ALTERNATIVES = [
    ({"attended": 1}, _("has come to a house meeting")),
    ({"actions": 1}, _("has come to an action")),
]


def suggest_next_level(level: str, practice: dict[str, int]) -> dict | None:
    """{"level": next Level, "reason": why} when practice meets the rule, else None."""
    rule = RULES.get(level)
    if rule is None:
        return None
    next_level, thresholds, reason = rule
    met = all(practice.get(key, 0) >= n for key, n in thresholds.items())
    if level == Level.MEMBER and not met:
        for alternative, why in MEMBER_ALTERNATIVES:
            if all(practice.get(key, 0) >= n for key, n in alternative.items()):
                met, reason = True, why
                break
    if not met:
        return None
    return {"level": next_level, "label": Level(next_level).label, "reason": reason}


def ladder_rules() -> list[dict]:
    """The rule, for people to read: each rung, the next one and what practice suggests it."""
    return [
        {"level": Level(level).label, "next": Level(rule[0]).label, "reason": rule[2]}
        for level, rule in RULES.items()
    ]
