"""Admin pieces shared by the apps, and the admin site itself."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from conect import audit


class ConectAdminSite(admin.AdminSite):
    """One door in (docs/security.md): the admin's own login form would bypass allauth's rate
    limits and two-step sign-in, so `/admin/login/` sends everyone to allauth's login, which
    brings them back to the admin page they asked for."""

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            raise PermissionDenied  # signed in, but the admin is for the admin role only
        return redirect_to_login(next_url, reverse("account_login"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record staff may read but never add, change or delete in the admin (audit trails, the
    append-only ledger)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def become_saved_row(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service just wrote (`saved`), so that the
    admin's log entry, its inlines, its many-to-many and its redirect all land on that row."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose every look is audited: opening a record's page, listing records (with the
    filters used), and adding, changing (the field names) or deleting one. Staff data fixes
    leave the same trail as the app; the rows go through conect.audit to members' audit log."""

    # The attribute naming the person a record is about ("pk" on Person itself; None: nobody).
    audit_person_field: str | None = "person_id"
    # False where the admin saves through a service that writes its own audit row.
    audit_saves = True

    def _audit(self, request, action: str, record, **detail) -> None:
        person_id = None
        if self.audit_person_field and not isinstance(record, type):
            person_id = getattr(record, self.audit_person_field, None)
        audit.record(
            by=request.user, action=action, person_id=person_id, **audit.about(record), **detail
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            self._audit(request, audit.ADMIN_VIEW, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            filters = {key: value[:200] for key, value in request.GET.items()}
            self._audit(request, audit.ADMIN_LIST, self.model, filters=filters)
        return response

    def construct_change_message(self, request, form, formsets, add=False):
        # Called once per saved add or change (the change form and list_editable alike), after
        # the save, with the form that says which fields changed.
        if self.audit_saves:
            fields = {*form.changed_data}
            fields |= {f.model._meta.model_name for f in formsets or () if f.has_changed()}
            action = audit.ADMIN_ADD if add else audit.ADMIN_CHANGE
            self._audit(request, action, form.instance, fields=sorted(fields))
        return super().construct_change_message(request, form, formsets, add)

    def delete_model(self, request, obj):
        self._audit(request, audit.ADMIN_DELETE, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, audit.ADMIN_DELETE, obj)
        super().delete_queryset(request, queryset)
