"""The staff roles of the contact centre and the permissions each one holds.

Roles are Django Groups (created by a data migration); their permissions follow the
capability table in ARCHITECTURE.md. Each later app adds its permissions to the
groups in its own migration with `grant_permissions`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPARTMENT_EDITOR = "department_editor", _("Department editor")
    ADMINISTRATOR = "administrator", _("Administrator")


def role_name(group_name: str) -> str:
    """The name people read for the Group of a role (the Group's own name is the code that
    migrations and `Role` rely on); a Group that is not a role keeps its name."""
    return str(Role(group_name).label) if group_name in Role.values else group_name


# Permissions on the models that exist in the accounts app, as "app_label.codename".
ACCOUNTS_PERMISSIONS: dict[Role, list[str]] = {
    Role.OPERATOR: ["accounts.view_department"],
    Role.LEADER: ["accounts.view_department", "accounts.view_user"],
    Role.SUPERVISOR: ["accounts.view_department", "accounts.view_user"],
    Role.DEPARTMENT_EDITOR: ["accounts.view_department"],
    Role.ADMINISTRATOR: [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_department",
        "accounts.change_department",
        "accounts.delete_department",
        "accounts.view_department",
        "auth.view_group",
    ],
}


def grant_permissions(apps, schema_editor, grants: dict[Role, list[str]]) -> None:
    """Create the groups if needed and add `grants` to them (for data migrations).

    On a fresh database Django creates model permissions only after all migrations
    ran, so the permissions are created here first.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
