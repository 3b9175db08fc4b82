"""Staff (the admin role) configure webhook endpoints here and read their delivery log; tokens
are listed (and revoked through the service) for when a user cannot do it themself."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from conect.admin import ReadOnlyAdmin

from .models import ApiToken, WebhookDelivery, WebhookEndpoint
from .services import token_revoke
from .webhooks import deliveries_retry


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "description",
        "sends_people",
        "sends_attendance",
        "sends_commitments",
        "is_active",
    ]
    list_filter = ("is_active",)
    readonly_fields = ("created_by", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        "url",
        "description",
        ("sends_people", "sends_attendance", "sends_commitments"),
        "is_active",
        "secret",
        "created_by",
        "created_at",
    )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: what was sent where, how often, and what the receiver answered."""

    list_display = ("created_at", "endpoint", "topic", "status", "attempts", "last_status_code")
    list_filter = ("status", "endpoint", "change__topic")
    list_select_related = ("endpoint", "change")
    readonly_fields = ("change_id", "payload")
    date_hierarchy = "created_at"
    actions = ("send_again",)

    @admin.display(description=_("topic"))
    def topic(self, obj):
        return f"{obj.change.topic}.{obj.change.kind}"

    @admin.display(description=_("change id"))
    def change_id(self, obj):
        return obj.change.pk

    @admin.display(description=_("payload"))
    def payload(self, obj):
        return obj.change.payload

    @admin.action(description=_("Send the selected failed deliveries again"))
    def send_again(self, request, queryset):
        ids = deliveries_retry(ids=list(queryset.values_list("pk", flat=True)))
        messages.success(request, _("%(count)d deliveries queued again.") % {"count": len(ids)})


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("user__email", "name", "prefix")
    exclude = ("digest",)
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, by=request.user)
