"""Admin pieces shared by the apps."""

from django.contrib import admin


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
