"""What the accounts app offers the staff home: users, departments, one's own password."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User
from contactcenter.lib.staff_home import StaffLink, WorkCount, visible_links

LINKS = [
    StaffLink(
        _("Users and roles"),
        _("Create staff accounts, assign roles and departments, deactivate leavers."),
        "admin:accounts_user_changelist",
        permission="accounts.change_user",
        admin_site=True,
        in_menu=False,
    ),
    StaffLink(
        _("Departments"),
        _("Keep the list of city departments, their phone numbers and e-mail addresses up to date."),
        "admin:accounts_department_changelist",
        permission="accounts.change_department",
        admin_site=True,
        in_menu=False,
    ),
    StaffLink(
        _("Change your password"),
        _("Choose a new password for your account."),
        "accounts:password_change",
        in_menu=False,
    ),
]


def links_for(user: User) -> list[StaffLink]:
    return visible_links(LINKS, user)


def work_for(user: User) -> list[WorkCount]:
    return []
