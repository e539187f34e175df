from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Field, QuerySet
from django.forms import ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts import services
from contactcenter.accounts.audit_labels import action_choices
from contactcenter.accounts.audit_log import DateRangeForm, csv_header, csv_rows, record_audit_log_export
from contactcenter.accounts.models import AuditEvent, Department, RoleGroup, User
from contactcenter.lib.admin import ReadOnlyAdmin
from contactcenter.lib.spreadsheet import csv_response

# Django stores a model's permission names in English ("Can view department"); the admin shows
# them in the reader's language instead. Custom permissions are named through gettext_lazy in
# Meta.permissions, so the stored name is a message of the catalog.
_DEFAULT_PERMISSIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    model = permission.content_type.model_class()
    action, _separator, model_name = permission.codename.partition("_")
    if model is not None and action in _DEFAULT_PERMISSIONS and model_name == model._meta.model_name:
        name = _DEFAULT_PERMISSIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


class RoleListFilter(admin.RelatedFieldListFilter):
    """Filter users by role, under the roles' translated names."""

    def field_choices(self, field: Field, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(role.pk, str(role)) for role in RoleGroup.objects.order_by("name")]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "phone", "email"]
    search_fields = ["code", "name", "name_en"]


class OwnAccountForm(ModelForm):
    """The form an administrator gets for their own account: roles and admin access stay as they are."""

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("groups", "is_staff", "is_superuser"):
            if name in self.fields and name in self.changed_data:
                self.add_error(name, gettext("You cannot change your own roles. Ask another administrator."))
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "department", "is_active", "last_login"]
    list_filter = [("groups", RoleListFilter), "department", "is_active"]
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

    def formfield_for_manytomany(
        self, db_field: Field, request: HttpRequest, **kwargs: object
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "groups":
            kwargs["queryset"] = RoleGroup.objects.order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: object):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk == request.user.pk:
            return type(form.__name__, (OwnAccountForm, form), {})
        return form

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if not change:
            # The administrator chose the first password: the person replaces it at first sign-in.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list, change: bool) -> None:
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        services.record_role_changes(actor=request.user, user=form.instance, before=before, after=after)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.reset_password(actor=request.user, user=self.get_object(request, unquote(id)))
        return response


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin):
    """The roles under their translated names, with their permissions in the reader's language.

    Administrators may only look (auth.view_group): roles are made by data migrations.
    """

    list_display = ["__str__"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGroup]:
        return RoleGroup.objects.order_by(*(self.get_ordering(request) or ["name"]))

    def get_fields(self, request: HttpRequest, obj: Group | None = None) -> list[str]:
        return self.get_readonly_fields(request, obj) or super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Group | None = None) -> list[str]:
        if obj is not None and not self.has_change_permission(request, obj):
            return ["role", "permission_list"]  # the view page: names, not codes
        return []

    def formfield_for_manytomany(
        self, db_field: Field, request: HttpRequest, **kwargs: object
    ) -> ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field

    @admin.display(description=_("role"))
    def role(self, group: Group) -> str:
        return str(group)

    @admin.display(description=_("permissions"))
    def permission_list(self, group: Group) -> SafeString:
        permissions = group.permissions.select_related("content_type").order_by(
            "content_type__app_label", "content_type__model", "codename"
        )
        return format_html_join(mark_safe("<br>"), "{}", ((permission_label(p),) for p in permissions))


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, with the labels the apps registered (actions are plain strings)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class DateRangeFilter(admin.ListFilter):
    """Events from one day to another (both included, Asia/Tokyo); a bad date is shown with
    its message beside the filter, never a lost page."""

    title = _("date")
    template = "admin/accounts/date_range_filter.html"
    parameters = ("created_from", "created_to")

    def __init__(
        self, request: HttpRequest, params: dict, model: type, model_admin: admin.ModelAdmin
    ) -> None:
        super().__init__(request, params, model, model_admin)
        values = {}
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                values[name] = value[-1] if isinstance(value, list) else value
        self.form = DateRangeForm(values or None)
        # The other filters and the search, kept when the dates are changed.
        self.kept = [
            (name, value)
            for name, values_ in request.GET.lists()
            if name not in (*self.parameters, "p", "e")
            for value in values_
        ]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def choices(self, changelist: object) -> list[dict]:
        return [{"form": self.form, "kept": self.kept}]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return self.form.filter(queryset) if self.form.is_bound else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read by administrators, written only by the services. Nobody adds,
    changes or deletes a row here, superusers included (ReadOnlyAdmin); old rows go only by
    `purge_personal_data` after AUDIT_LOG_RETENTION_DAYS. The filtered list downloads as CSV."""

    list_display = ["created_at", "actor", "action_shown", "object_repr", "from_shown", "to_shown"]
    fields = readonly_fields = [
        "created_at",
        "actor",
        "action_shown",
        "content_type",
        "object_id",
        "object_repr",
        "from_shown",
        "to_shown",
        "note",
    ]
    list_filter = [ActionFilter, DateRangeFilter, "actor", "content_type"]
    search_fields = ["object_repr", "note", "actor__username", "actor__display_name"]
    list_select_related = ["actor"]

    def get_urls(self) -> list:
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_csv),
            name="accounts_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_csv(self, request: HttpRequest) -> HttpResponseBase:
        """The list as filtered and searched on the page, as CSV (streamed)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, gettext("These filters cannot be applied; nothing was downloaded."))
            return redirect("admin:accounts_auditevent_changelist")
        record_audit_log_export(user=request.user, filters=request.GET.urlencode()[:1000])
        return csv_response(
            f"audit-log-{timezone.localdate():%Y%m%d}.csv",
            csv_header(),
            csv_rows(changelist.get_queryset(request)),
            streamed=True,
        )

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, event: AuditEvent) -> str:
        return event.action_label()

    @admin.display(description=_("from"), ordering="from_state")
    def from_shown(self, event: AuditEvent) -> str:
        return event.from_state_label()

    @admin.display(description=_("to"), ordering="to_state")
    def to_shown(self, event: AuditEvent) -> str:
        return event.to_state_label()
