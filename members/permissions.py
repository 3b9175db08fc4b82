"""Which roles see which sensitive fields (docs/privacy.md says why)."""

from conect.roles import Role


def sees_sensitive_fields(user) -> bool:
    """Ethnicity and private notes: admins and organizers, never leads or leaders."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.ORGANIZER)
