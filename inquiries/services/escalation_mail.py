"""E-mail to departments about their escalations: once when one arrives, once when it falls
due (its reply-by day passed and it still waits). Run by `manage.py notify_escalations`.

Each notice is claimed before it is sent, by a conditional UPDATE that only one run can win,
so two overlapping runs never send the same notice twice. When sending fails the claim is
released and the next run tries again. The mail carries no personal data: the inquiry's
reference, the reason, the reply-by date and a link to the escalation's page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcenter.accounts.models import User
from contactcenter.accounts.roles import Role
from contactcenter.lib.links import configured_base_url
from inquiries.models import Escalation

logger = logging.getLogger(__name__)

ARRIVAL = "arrival_notified_at"
OVERDUE = "overdue_notified_at"


@dataclass
class NotifyResult:
    sent: int = 0
    failed: int = 0
    no_address: int = 0


def recipients(escalation: Escalation) -> list[str]:
    """The department's own address; without one, its editors who have an address."""
    department = escalation.department
    if department.email:
        return [department.email]
    return list(
        User.objects.filter(department=department, is_active=True, groups__name=Role.DEPARTMENT_EDITOR.value)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )


def _message(escalation: Escalation, event: str, base_url: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "escalation": escalation,
            "reference": escalation.inquiry.reference or str(escalation.inquiry_id),
            "link": base_url + reverse("inquiries:escalation", args=[escalation.pk]),
            "centre": settings.CENTRE_NAME,
        }
        if event == ARRIVAL:
            subject = _("New escalation %(reference)s: reply by %(date)s")
            template = "inquiries/email/escalation_arrived.txt"
        else:
            subject = _("Overdue escalation %(reference)s: reply was due on %(date)s")
            template = "inquiries/email/escalation_overdue.txt"
        subject = subject % {"reference": context["reference"], "date": escalation.reply_by.isoformat()}
        return subject, render_to_string(template, context)


def _notify(escalation: Escalation, event: str, now: datetime, base_url: str, result: NotifyResult) -> None:
    claimed = Escalation.objects.filter(pk=escalation.pk, **{f"{event}__isnull": True}).update(**{event: now})
    if not claimed:
        return  # another run has it
    to = recipients(escalation)
    try:
        if not to:
            result.no_address += 1
            raise LookupError(f"department {escalation.department.code} has no e-mail address")
        subject, body = _message(escalation, event, base_url)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        # Released so that the next run retries; logged with ids only.
        Escalation.objects.filter(pk=escalation.pk, **{event: now}).update(**{event: None})
        result.failed += 1
        logger.exception(
            "escalation %s: the %s notice was not sent; it is retried on the next run", escalation.pk, event
        )
    else:
        result.sent += 1


def notify_escalations(*, now: datetime | None = None, today: date | None = None) -> NotifyResult:
    """Send every notice due now: arrivals first, then escalations that fell due."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    base_url = configured_base_url()
    result = NotifyResult()
    waiting = Escalation.objects.awaiting_department().select_related("department", "inquiry")
    for escalation in waiting.filter(arrival_notified_at__isnull=True).order_by("pk"):
        _notify(escalation, ARRIVAL, now, base_url, result)
    for escalation in waiting.overdue(today).filter(overdue_notified_at__isnull=True).order_by("pk"):
        _notify(escalation, OVERDUE, now, base_url, result)
    return result
