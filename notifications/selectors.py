from django.db.models import QuerySet

from conect.fragments import cached_value, inbox_topic

from .models import Kind, Notification, Preference


def notifications_of(user) -> QuerySet[Notification]:
    """A login's own notifications: nobody reads another's inbox, whatever their role."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """The badge on every page: counted once, then kept until the user's inbox changes (a
    notification saved, read or claimed for them bumps `inbox_topic`) or a minute passes."""
    return cached_value(
        "unread",
        [inbox_topic(user.pk)],
        lambda: notifications_of(user).filter(read_at__isnull=True).count(),
        parts=[user.pk],
    )


def email_preferences(user) -> dict[str, bool]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in Kind.values}
