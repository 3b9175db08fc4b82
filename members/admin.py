from allauth.account.forms import ResetPasswordForm
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conect.admin import AuditedAdmin, ReadOnlyAdmin
from congregations.models import Membership

from .models import (
    AuditEvent,
    Demographics,
    ImportJob,
    LeadershipChange,
    Person,
    Tag,
    User,
    VoterRegistration,
)
from .selectors import people_visible_to
from .services import person_admin_save, person_archive, person_delete, person_unarchive


class InviteUserForm(forms.ModelForm):
    """Staff invite people: no password here; the invitee sets one through the reset email."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "network_wide", "congregations")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    add_form = InviteUserForm
    add_fieldsets = (
        (None, {"fields": ("email", "first_name", "last_name", "role", "network_wide")}),
        (_("Scope"), {"fields": ("congregations",)}),
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (_("Role and scope"), {"fields": ("role", "network_wide", "congregations", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "first_name", "last_name", "role", "network_wide", "is_active")
    list_filter = ("role", "network_wide", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = ("congregations",)
    actions = ["send_invitation"]
    audit_person_field = None  # a login; its person, if any, is a record of its own

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Email a link to set a password"))
    def send_invitation(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            form = ResetPasswordForm(data={"email": user.email})
            if form.is_valid():
                form.save(request)
                sent += 1
        self.message_user(
            request,
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent},
            messages.SUCCESS,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("congregation",)


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Active")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "email", "phone", "town", "level", "archived_at")
    list_filter = (
        ArchivedFilter,
        "level",
        "language",
        "do_not_contact",
        "tags",
        "memberships__congregation",
    )
    search_fields = ("first_name", "last_name", "email", "phone")
    autocomplete_fields = ("tags", "user")
    readonly_fields = ("level", "created_at", "updated_at", "archived_at")
    inlines = [MembershipInline]
    list_per_page = 50
    show_full_result_count = False
    actions = ["archive", "restore"]
    audit_person_field = "pk"
    audit_saves = False  # members.services.person_admin_save writes the audit row

    def get_queryset(self, request):
        # Scoped like the app, so a narrower admin role later cannot see more than its share.
        return people_visible_to(request.user, include_archived=True).prefetch_related("tags")

    def save_model(self, request, obj, form, change):
        person_admin_save(person=obj, by=request.user, adding=not change, changed=form.changed_data)

    def delete_model(self, request, obj):
        person_delete(person=obj, by=request.user, reason=_("deleted in the admin"))

    def delete_queryset(self, request, queryset):
        for person in queryset:
            person_delete(person=person, by=request.user, reason=_("deleted in the admin"))

    @admin.action(description=_("Archive the selected people"))
    def archive(self, request, queryset):
        for person in queryset.filter(archived_at__isnull=True):
            person_archive(person=person, by=request.user)

    @admin.action(description=_("Restore the selected people"))
    def restore(self, request, queryset):
        for person in queryset.filter(archived_at__isnull=False):
            person_unarchive(person=person, by=request.user)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "people_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, tag):
        return tag.people_count


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is evidence, not data to tidy."""

    list_display = (
        "created_at",
        "actor",
        "action",
        "person_id",
        "object_type",
        "object_id",
        "client_ip",
    )
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("=person_id", "=object_id", "=client_ip", "actor__email")
    date_hierarchy = "created_at"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "filename", "created_by", "status", "total_rows")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    exclude = ("content",)
    readonly_fields = [
        "created_by",
        "congregation",
        "filename",
        "status",
        "total_rows",
        "processed_rows",
        "counts",
        "errors",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(LeadershipChange)
class LeadershipChangeAdmin(ReadOnlyAdmin):
    """Read-only: the ladder's history is written by members.services.person_move_on_ladder
    (the person page's ladder form), so the level and its history never disagree."""

    list_display = ("person", "from_level", "to_level", "changed_by", "changed_at")
    list_select_related = ("person", "changed_by")
    raw_id_fields = ("person",)
    readonly_fields = ("changed_at",)


# Two-step sign-in: an admin sees who has set up an authenticator and may delete one (a lost
# phone: the person sets up a new one at their next sign-in); nobody reads its secret or seed.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Demographics)
class DemographicsAdmin(AuditedAdmin):
    """Read and delete only: a record is made on the person's page, which asks for consent."""

    list_display = ("person", "equity_group", "consented_on", "consent_recorded_by")
    list_filter = ("equity_group", ("consented_on", admin.EmptyFieldListFilter))
    raw_id_fields = ("person",)
    list_select_related = ("person", "consent_recorded_by")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(person__in=people_visible_to(request.user))


@admin.register(VoterRegistration)
class VoterRegistrationAdmin(AuditedAdmin):
    list_display = ("person", "status", "town", "asked_on", "recorded_by")
    list_filter = ("status",)
    raw_id_fields = ("person", "recorded_by")
    list_select_related = ("person", "recorded_by")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(person__in=people_visible_to(request.user))
