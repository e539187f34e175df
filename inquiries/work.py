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
from inquiries.access import answers_for_department
from inquiries.models import (
    AWAITING_DEPARTMENT,
    OPEN_CALLBACK,
    OPEN_WRITTEN,
    Escalation,
    EscalationStatus,
    Inquiry,
    local_days,
    received_in,
)

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
        _("Queue"),
        _("E-mails, faxes, letters and web messages nobody has taken yet: assign them."),
        "inquiries:queue",
        permission="inquiries.assign_inquiries",
    ),
    StaffLink(
        _("Register a fax or letter"),
        _("Enter a fax or a letter as it arrived, with its scanned pages."),
        "inquiries:register_paper",
        permission="inquiries.add_attachment",
        in_menu=False,
    ),
    StaffLink(
        _("Survey periods"),
        _("Set the days on which operators ask callers for a satisfaction score."),
        "inquiries:surveys",
        permission="inquiries.change_surveyperiod",
        in_menu=False,
    ),
    StaffLink(
        _("Escalations to your department"),
        _("What the centre passed to your department: reply, or say you answered the citizen."),
        "inquiries:escalations",
        permission="inquiries.answer_escalation",
    ),
    StaffLink(
        _("Escalations"),
        _("Inquiries passed to departments, their reply-by dates and the replies to pass on."),
        "inquiries:escalations",
        permission="inquiries.add_escalation",
    ),
]


def links_for(user: User) -> list[StaffLink]:
    return visible_links(LINKS, user)


def work_for(user: User) -> list[WorkCount]:
    return [*_calls(user), *_escalations(user)]


def _calls(user: User) -> list[WorkCount]:
    """Calls taken today (the centre's day) and callbacks owed, counted in one query."""
    if not user.has_perm("inquiries.add_inquiry"):
        return []
    today = timezone.localdate()
    counts = Inquiry.objects.handled_by(user).aggregate(
        today=Count("pk", filter=Q(operator=user) & received_in(*local_days(today, today))),
        callbacks=Count("pk", filter=OPEN_CALLBACK),
        written=Count("pk", filter=OPEN_WRITTEN & Q(assigned_to=user)),
    )
    mine = reverse("inquiries:mine")
    work = [
        WorkCount(_("Your inquiries today"), counts["today"], mine),
        WorkCount(
            _("Callbacks you owe"), counts["callbacks"], f"{mine}?{urlencode({'open_callbacks': 'on'})}"
        ),
        WorkCount(
            _("Written inquiries assigned to you, still open"),
            counts["written"],
            f"{mine}?{urlencode({'open_written': 'on'})}",
        ),
    ]
    if user.has_perm("inquiries.assign_inquiries"):
        work.append(
            WorkCount(
                _("In the queue, nobody assigned"),
                Inquiry.objects.unassigned_queue().count(),
                reverse("inquiries:queue"),
            )
        )
    return work


def _escalations(user: User) -> list[WorkCount]:
    """A department's waiting and overdue escalations; everyone's overdue ones for leaders and
    supervisors; and the departments' replies the person who escalated must pass on."""
    counts = []
    today = timezone.localdate()
    escalations = reverse("inquiries:escalations")
    if answers_for_department(user):
        mine = Escalation.objects.for_department(user.department).aggregate(
            waiting=Count("pk", filter=AWAITING_DEPARTMENT),
            overdue=Count("pk", filter=AWAITING_DEPARTMENT & Q(reply_by__lt=today)),
        )
        waiting = f"{escalations}?{urlencode({'status': EscalationStatus.WAITING})}"
        counts += [
            WorkCount(_("Escalations waiting for your department"), mine["waiting"], waiting),
            WorkCount(
                _("Overdue escalations of your department"),
                mine["overdue"],
                f"{escalations}?{urlencode({'overdue': 'on'})}",
            ),
        ]
    if user.has_perm("inquiries.change_escalation"):
        counts.append(
            WorkCount(
                _("Overdue escalations"),
                Escalation.objects.overdue(today).count(),
                f"{escalations}?{urlencode({'overdue': 'on'})}",
            )
        )
    if user.has_perm("inquiries.add_escalation"):
        replies = Escalation.objects.filter(
            Q(created_by=user) | Q(inquiry__assigned_to=user), status=EscalationStatus.REPLIED
        ).count()
        counts.append(
            WorkCount(
                _("Department replies to act on"),
                replies,
                f"{escalations}?{urlencode({'status': EscalationStatus.REPLIED})}",
            )
        )
    return counts
