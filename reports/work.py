"""What the reports app offers the staff home and menu: the dashboards and the targets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User
from contactcenter.lib.staff_home import StaffLink, WorkCount, visible_links

LINKS = [
    StaffLink(
        _("Reports"),
        _("First-contact resolution, satisfaction, volume, who calls, and where the knowledge is missing."),
        "reports:overview",
        permission="reports.view_reports",
    ),
    StaffLink(
        _("Targets"),
        _("The first-contact resolution and satisfaction targets of each fiscal year."),
        "reports:targets",
        permission="reports.change_target",
        in_menu=False,
    ),
]


def links_for(user: User) -> list[StaffLink]:
    return visible_links(LINKS, user)


def work_for(user: User) -> list[WorkCount]:
    return []
