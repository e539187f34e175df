"""The written side of `manage.py load_demo_data`: an escalation for every demo inquiry passed
to a department (answered when old, waiting when recent, some overdue), and a web message and a
fax waiting in the queue. Only what is missing is added."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from PIL import Image

from contactcenter.accounts.models import Department, User
from contactcenter.lib.workdays import reply_by
from inquiries.demo_shapes import DEPARTMENT_DAYS
from inquiries.models import (
    AgeBand,
    Channel,
    Escalation,
    EscalationStatus,
    Gender,
    InboxMessage,
    Inquiry,
    InquiryArticle,
    InquiryStatus,
    Outcome,
    ReplyMethod,
)
from inquiries.services.escalations import DEPARTMENT_OFFICE_CLOSES, working_days_to_reply
from inquiries.services.inbox import reference_for_token, take_inbox
from inquiries.services.written import UploadedPage, add_pages, register_paper_inquiry

BATCH = 5_000
# A fixed namespace: the same demo messages get the same tokens, so a second run adds nothing.
DEMO_NAMESPACE = uuid.UUID("5b7e0c1e-8f5d-4c11-9a53-2f1f2d0c7a10")
REASONS = {
    "complaint": "苦情のため所管課の対応が必要です。",
    "request": "要望の内容について所管課の判断が必要です。",
    "proposal": "提案として所管課に伝えます。",
    "consultation": "個別の事情があり、所管課の確認が必要です。",
    "question": "Q&Aにない内容のため、所管課の回答が必要です。",
}
DEPARTMENT_REPLY = "担当課で確認しました。詳しくは担当課からご案内しました。"


@dataclass(frozen=True)
class DemoWritten:
    escalations: int
    queued: int


def add_demo_escalations(now: datetime | None = None) -> int:
    """An Escalation for each escalated demo inquiry that has none, to the department of the
    first Q&A used (or the first department): answered when older than DEPARTMENT_DAYS (by the
    department directly, or passed on by the centre), waiting otherwise."""
    now = now or timezone.now()
    departments = list(Department.objects.order_by("code").values_list("pk", flat=True))
    if not departments:
        return 0
    first_department = Subquery(
        InquiryArticle.objects.filter(inquiry=OuterRef("pk"), position=0).values("article__department_id")[:1]
    )
    waiting = (
        Inquiry.objects.filter(outcome=Outcome.ESCALATED, escalations__isnull=True, operator__isnull=False)
        .annotate(department=first_department)
        .values_list("pk", "received_at", "operator_id", "kind", "status", "department")
        .order_by("pk")
    )
    working_days = settings.ESCALATION_REPLY_WORKING_DAYS
    added, batch = 0, []
    for pk, received_at, operator_id, kind, status, department in waiting.iterator(chunk_size=BATCH):
        local = timezone.localtime(received_at)
        answered = status == InquiryStatus.CLOSED or now - received_at > timedelta(days=DEPARTMENT_DAYS)
        replied_at = received_at + timedelta(days=3 + pk % 5) if answered else None
        batch.append(
            Escalation(
                inquiry_id=pk,
                department_id=department or departments[pk % len(departments)],
                reason=REASONS.get(kind, REASONS["question"]),
                reply_by=reply_by(local, working_days=working_days, closes=DEPARTMENT_OFFICE_CLOSES),
                status=(EscalationStatus.ANSWERED_DIRECTLY if pk % 3 else EscalationStatus.DONE)
                if answered
                else EscalationStatus.WAITING,
                created_by_id=operator_id,
                created_at=received_at,
                reply=DEPARTMENT_REPLY if answered else "",
                replied_by_id=None,
                replied_at=replied_at,
                reply_working_days=working_days_to_reply(received_at, replied_at) if replied_at else None,
                closed_at=replied_at,
                # Demo notices count as sent: nobody is to be mailed about them.
                arrival_notified_at=received_at,
                overdue_notified_at=received_at if answered else None,
            )
        )
        if len(batch) >= BATCH:
            added += len(Escalation.objects.bulk_create(batch))
            batch = []
    added += len(Escalation.objects.bulk_create(batch))
    return added


DEMO_WEB_MESSAGES = [
    (
        "ja",
        "市民税の納付書をなくしてしまいました。再発行してもらえますか。",
        AgeBand.SIXTIES,
        Gender.MALE,
        ReplyMethod.PHONE,
        {"name": "高橋 健", "phone": "011-555-0101"},
    ),
    (
        "en",
        "I am moving to Sapporo next month. Which documents do I need for the moving-in notification?",
        AgeBand.THIRTIES,
        Gender.FEMALE,
        ReplyMethod.EMAIL,
        {"name": "Maria Santos", "email": "maria.santos@example.com"},
    ),
]


def _fax_page() -> bytes:
    out = io.BytesIO()
    pages = [Image.new("1", (1728, 400), 1) for _ in range(2)]
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))
    return out.getvalue()


def add_demo_queue(now: datetime | None = None) -> int:
    """Two contact-form messages (taken in as web inquiries) and a fax, waiting in the queue."""
    now = now or timezone.now()
    added = 0
    for number, (language, question, age, gender, reply_by_method, contact) in enumerate(DEMO_WEB_MESSAGES):
        token = uuid.uuid5(DEMO_NAMESPACE, f"web-{number}")
        if InboxMessage.objects.filter(form_token=token).exists():
            continue
        InboxMessage.objects.create(
            reference=reference_for_token(token),
            form_token=token,
            question=question,
            language=language,
            age_band=age,
            gender=gender,
            reply_by=reply_by_method,
            submitted_at=now - timedelta(hours=3 + number * 5),
            **contact,
        )
        added += 1
    take_inbox()
    token = uuid.uuid5(DEMO_NAMESPACE, "fax-0")
    if not Inquiry.objects.filter(form_token=token).exists():
        clerk = User.objects.filter(username="leader").first()
        if clerk is not None:
            fax, created = register_paper_inquiry(
                channel=Channel.FAX,
                received_at=now - timedelta(hours=8),
                language="ja",
                user=clerk,
                contact={"name": "伊藤 幸子", "fax": "011-555-0199", "reply_by": ReplyMethod.FAX},
                form_token=token,
            )
            if created:
                add_pages(inquiry=fax, pages=[UploadedPage("fax-0001.tif", _fax_page())], user=clerk)
                added += 1
    return added


def load_demo_written(now: datetime | None = None) -> DemoWritten:
    return DemoWritten(escalations=add_demo_escalations(now), queued=add_demo_queue(now))
