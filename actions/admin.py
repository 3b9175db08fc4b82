from django.contrib import admin

from .models import Action, Attendance, CalendarFeed, Evaluation, TurnoutPledge


class PledgeInline(admin.TabularInline):
    model = TurnoutPledge
    extra = 0
    raw_id_fields = ["congregation", "pledged_by"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "turnout_goal"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["campaign", "created_by"]
    filter_horizontal = ["congregations"]
    inlines = [PledgeInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["action", "person", "congregation", "rsvp", "checked_in_at"]
    list_filter = ["rsvp"]
    raw_id_fields = ["action", "person", "congregation", "checked_in_by"]
    list_select_related = ["action", "person", "congregation"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["action", "kind", "held_on", "turnout", "turnout_goal"]
    list_filter = ["kind"]
    raw_id_fields = ["action", "author", "standouts"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]  # a secret: rotate it from the app, never read it here
