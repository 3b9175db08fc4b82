from django.contrib import admin

from .models import Notification, Preference, Status


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Staff see delivery state (failed rows especially) and may queue a failed one again."""

    list_display = ("created_at", "kind", "recipient_key", "for_date", "status", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("recipient_key", "subject_key", "email")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description="Queue failed notifications again")
    def retry(self, request, queryset):
        count = queryset.filter(status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=None
        )
        self.message_user(request, f"{count} queued again.")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    raw_id_fields = ("user",)
