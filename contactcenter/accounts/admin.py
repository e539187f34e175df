from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import AuditEvent, Department, User
from contactcenter.admin import ReadOnlyAdmin


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


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read by administrators, written only by the services."""

    list_display = ["created_at", "actor", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "note", "actor__username", "actor__display_name"]
    list_select_related = ["actor"]
