"""What the inquiries app offers the staff home and menu: the console and the inquiry lists,
and each person's calls today and callbacks still owed."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User
from contactcenter.lib.staff_home import StaffLink, WorkCount, visible_links
from inquiries.models import OPEN_CALLBACK, Inquiry, local_days, received_in

LINKS = [
    StaffLink(
        _("Console"),
        _("Take a call: find the answer and log the inquiry."),
        "inquiries:console",
        permission="inquiries.add_inquiry",
    ),
    StaffLink(
        _("My inquiries"),
        _("The inquiries you took or were assigned, and the callbacks you still owe."),
        "inquiries:mine",
        permission="inquiries.view_inquiry",
    ),
    StaffLink(
        _("All inquiries"),
        _("Every inquiry, filtered by day, channel, category, outcome or operator; download as CSV."),
        "inquiries:list",
        permission="inquiries.view_all_inquiries",
    ),
    StaffLink(
        _("Survey periods"),
        _("Set the days on which operators ask callers for a satisfaction score."),
        "inquiries:surveys",
        permission="inquiries.change_surveyperiod",
        in_menu=False,
    ),
]


def links_for(user: User) -> list[StaffLink]:
    return visible_links(LINKS, user)


def work_for(user: User) -> list[WorkCount]:
    """Calls taken today (the centre's day) and callbacks owed, counted in one query."""
    if not user.has_perm("inquiries.add_inquiry"):
        return []
    today = timezone.localdate()
    counts = Inquiry.objects.handled_by(user).aggregate(
        today=Count("pk", filter=Q(operator=user) & received_in(*local_days(today, today))),
        callbacks=Count("pk", filter=OPEN_CALLBACK),
    )
    mine = reverse("inquiries:mine")
    return [
        WorkCount(_("Your inquiries today"), counts["today"], mine),
        WorkCount(
            _("Callbacks you owe"), counts["callbacks"], f"{mine}?{urlencode({'open_callbacks': 'on'})}"
        ),
    ]
