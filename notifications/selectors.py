from django.db.models import QuerySet

from .models import Kind, Notification, Preference


def notifications_of(user) -> QuerySet[Notification]:
    """A login's own notifications: nobody reads another's inbox, whatever their role."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def email_preferences(user) -> dict[str, bool]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in Kind.values}
