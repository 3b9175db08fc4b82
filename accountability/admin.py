from django.contrib import admin

from conect.admin import AuditedAdmin, ReadOnlyAdmin

from .models import LeaderCommitment


@admin.register(LeaderCommitment)
class LeaderCommitmentAdmin(AuditedAdmin, ReadOnlyAdmin):
    """Read only: commitments are recorded in the app and resolved from the data."""

    list_display = ["person", "kind", "target", "due_on", "status", "evidence", "resolved_at"]
    list_filter = ["status", "kind", "made_at"]
    search_fields = ["person__first_name", "person__last_name"]
    raw_id_fields = ["person", "action", "source_action", "source_house_meeting", "recorded_by"]
    date_hierarchy = "due_on"
