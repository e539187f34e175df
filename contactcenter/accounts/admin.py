from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.audit_labels import action_choices
from contactcenter.accounts.models import AuditEvent, Department, User
from contactcenter.lib.admin import ReadOnlyAdmin


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "phone", "email"]
    search_fields = ["code", "name", "name_en"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "department", "is_active", "last_login"]
    list_filter = ["groups", "department", "is_active"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["display_name", "first_name", "last_name", "email", "department"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "display_name", "department", "groups", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, with the labels the apps registered (actions are plain strings)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read by administrators, written only by the services."""

    list_display = ["created_at", "actor", "action_shown", "object_repr", "from_shown", "to_shown"]
    list_filter = [ActionFilter, "content_type"]
    search_fields = ["object_repr", "note", "actor__username", "actor__display_name"]
    list_select_related = ["actor"]

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, event: AuditEvent) -> str:
        return event.action_label()

    @admin.display(description=_("from"), ordering="from_state")
    def from_shown(self, event: AuditEvent) -> str:
        return event.from_state_label()

    @admin.display(description=_("to"), ordering="to_state")
    def to_shown(self, event: AuditEvent) -> str:
        return event.to_state_label()
