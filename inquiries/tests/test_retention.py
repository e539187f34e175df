"""Retention: `purge_personal_data` erases callers' personal data of inquiries closed long ago,
and nothing else. (That every figure stays is tested in reports/tests/test_retention_figures.py.)"""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, visible_text
from contactcenter.accounts.models import AuditEvent, RateLimit
from contactcenter.lib import ratelimit
from inquiries import audit
from inquiries.models import (
    Attachment,
    CallerContact,
    Channel,
    InboundEmail,
    InboxMessage,
    Inquiry,
    InquiryStatus,
    Outcome,
    Reply,
)
from inquiries.services import retention
from inquiries.services.email import ingest_email
from inquiries.tests.factories import CallerContactFactory, InquiryFactory
from inquiries.tests.mailbuilder import message, pdf_bytes

pytestmark = pytest.mark.django_db

OLD = timedelta(days=400)


def age(inquiry: Inquiry, by: timedelta) -> None:
    """Make the inquiry and everything of it `by` older (dates set without saving)."""
    moment = timezone.now() - by
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=moment)
    Inquiry.history.filter(id=inquiry.pk).update(history_date=moment)
    CallerContact.objects.filter(inquiry=inquiry).update(updated_at=moment)
    InboundEmail.objects.filter(inquiry=inquiry).update(received_at=moment)
    Attachment.objects.filter(inquiry=inquiry).update(created_at=moment)
    Reply.objects.filter(inquiry=inquiry).update(sent_at=moment)
    InboxMessage.objects.filter(inquiry=inquiry).update(submitted_at=moment)


def close(inquiry: Inquiry) -> None:
    Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.CLOSED, outcome=Outcome.RESOLVED)


def mailed_inquiry(operator, *, subject: str = "粗大ごみ") -> Inquiry:
    """An e-mail with a PDF, its contact (the sender), a reply and an edited summary."""
    raw = message(
        subject=subject,
        body="札幌花子です。電話は090-1111-2222です。",
        attachments=[("申込書.pdf", "application/pdf", pdf_bytes())],
    )
    inquiry = ingest_email(raw=raw).email.inquiry
    inquiry.summary = "札幌花子さんから粗大ごみの質問"
    inquiry.save()
    inquiry.summary = "粗大ごみの出し方"
    inquiry.save()
    Reply.objects.create(
        inquiry=inquiry,
        channel=Reply.Channel.EMAIL,
        to="hanako@example.jp",
        body="札幌様、回答です",
        sent_by=operator,
    )
    InboxMessage.objects.create(
        reference=inquiry.reference,
        form_token="7c9e6679-7425-40de-944b-e07fc1f90ae7",
        question="札幌花子です。ごみについて",
        language="ja",
        reply_by="email",
        name="札幌 花子",
        email="hanako@example.jp",
        inquiry=inquiry,
        taken_at=timezone.now(),
    )
    close(inquiry)
    return inquiry


def stored_files(inquiry: Inquiry) -> list[Path]:
    names = [e.raw.name for e in inquiry.emails.all()]
    names += [a.file.name for a in inquiry.attachments.all()]
    return [Path(settings.MEDIA_ROOT) / name for name in names if name]


def purge(**options) -> str:
    out = StringIO()
    call_command("purge_personal_data", stdout=out, **options)
    return out.getvalue()


def counts(output: str) -> dict[str, int]:
    """The command's "  kind (label): n" lines (labels are in the site's language)."""
    return {kind: int(n) for kind, n in re.findall(r"^  (\w+) \(.*\): (\d+)$", output, re.MULTILINE)}


def test_purge_erases_the_personal_data_of_an_inquiry_closed_over_a_year_ago(operator):
    inquiry = mailed_inquiry(operator)
    files = stored_files(inquiry)
    assert len(files) == 2 and all(path.exists() for path in files)
    age(inquiry, OLD)

    purge()

    assert not CallerContact.objects.filter(inquiry=inquiry).exists()
    assert not Attachment.objects.filter(inquiry=inquiry).exists()
    assert not any(path.exists() for path in files)
    email = InboundEmail.objects.get(inquiry=inquiry)
    assert (email.raw.name, email.sender, email.sender_name, email.subject, email.body) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert email.message_id  # the fact that it came stays
    reply = Reply.objects.get(inquiry=inquiry)
    assert (reply.to, reply.subject, reply.body) == ("", "", "")
    assert reply.sent_at < timezone.now() - timedelta(days=399)
    web = InboxMessage.objects.get(inquiry=inquiry)
    assert (web.question, web.name, web.email) == ("", "", "")
    assert not Inquiry.history.filter(id=inquiry.pk).exclude(summary="", answer="").exists()


def test_the_inquiry_itself_stays_as_it_was(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, OLD)
    before = Inquiry.objects.values().get(pk=inquiry.pk)
    versions = Inquiry.history.filter(id=inquiry.pk).count()

    purge()

    assert Inquiry.objects.values().get(pk=inquiry.pk) == before
    assert Inquiry.history.filter(id=inquiry.pk).count() == versions


def test_an_open_inquiry_keeps_its_callers_contact_however_old(operator):
    for status in (InquiryStatus.OPEN, InquiryStatus.WAITING):
        contact = CallerContactFactory(inquiry=InquiryFactory(status=status, outcome=""))
        age(contact.inquiry, timedelta(days=3000))

    purge()

    assert CallerContact.objects.count() == 2


def test_an_inquiry_closed_recently_keeps_everything(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, timedelta(days=300))

    output = purge(dry_run=True)
    purge()

    assert set(counts(output).values()) == {0}
    assert CallerContact.objects.filter(inquiry=inquiry).exists()
    assert all(path.exists() for path in stored_files(inquiry))
    assert Reply.objects.get(inquiry=inquiry).body


def test_a_row_newer_than_the_period_stays_even_on_an_old_closed_inquiry(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, OLD)
    Reply.objects.filter(inquiry=inquiry).update(sent_at=timezone.now())

    purge()

    assert Reply.objects.get(inquiry=inquiry).body
    assert not CallerContact.objects.filter(inquiry=inquiry).exists()


def test_the_dry_run_prints_counts_and_changes_nothing(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, OLD)
    files = stored_files(inquiry)
    events = AuditEvent.objects.count()

    output = purge(dry_run=True)

    assert "Would erase (dry run):" in output
    assert counts(output) == {
        "contacts": 1,
        "attachments": 1,
        "emails": 1,
        "web_messages": 1,
        "replies": 1,
        "history": 2,
        "audit_events": 0,
    }
    assert CallerContact.objects.filter(inquiry=inquiry).exists()
    assert all(path.exists() for path in files)
    assert Reply.objects.get(inquiry=inquiry).body
    assert AuditEvent.objects.count() == events


def test_a_second_run_finds_nothing_left_to_do(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, OLD)

    purge()
    second = retention.purge_personal_data(
        before=retention.cutoffs(personal_data_days=365, audit_log_days=settings.AUDIT_LOG_RETENTION_DAYS)
    )

    assert set(second.values()) == {0}


def test_the_purge_works_in_batches_larger_than_one(operator, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    inquiries = [CallerContactFactory(inquiry=InquiryFactory()).inquiry for _ in range(5)]
    for inquiry in inquiries:
        age(inquiry, OLD)

    output = purge()

    assert counts(output)["contacts"] == 5
    assert not CallerContact.objects.exists()


def test_the_purge_is_audited_once_with_its_counts(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, OLD)

    purge()

    event = AuditEvent.objects.get(action=audit.PERSONAL_DATA_PURGED)
    assert event.actor is None
    assert "contacts: 1" in event.note and "attachments: 1" in event.note
    assert "札幌" not in event.note + event.object_repr


def test_audit_events_past_their_own_period_are_deleted(operator):
    inquiry = InquiryFactory()
    kept = AuditEvent.objects.create(
        action=audit.CONTACT_VIEWED, content_type_id=1, object_id=str(inquiry.pk), object_repr="kept"
    )
    old = AuditEvent.objects.create(
        action=audit.CONTACT_VIEWED,
        content_type_id=1,
        object_id=str(inquiry.pk),
        object_repr="old",
        created_at=timezone.now() - timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS + 1),
    )

    purge()

    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_old_rate_limit_counters_are_deleted():
    ratelimit.allow("feedback", "192.0.2.1", limit=5, period=timedelta(hours=1))
    RateLimit.objects.update(window_start=timezone.now() - timedelta(days=3))

    output = purge()

    assert counts(output)["rate_limits"] == 1
    assert not RateLimit.objects.exists()


def test_the_periods_can_be_set_and_nonsense_is_refused(operator):
    inquiry = mailed_inquiry(operator)
    age(inquiry, timedelta(days=40))

    purge(days=30)

    assert not CallerContact.objects.filter(inquiry=inquiry).exists()
    with pytest.raises(CommandError, match="at least 1"):
        purge(days=0)


def test_the_default_periods_are_a_year_and_five_years():
    assert settings.PERSONAL_DATA_RETENTION_DAYS == 365
    assert settings.AUDIT_LOG_RETENTION_DAYS == 5 * 365


def test_an_erased_inquiry_still_opens_and_says_what_was_erased(operator, leader):
    inquiry = mailed_inquiry(operator)
    email = inquiry.emails.get()
    age(inquiry, OLD)
    purge()

    page = client_for(leader).get(reverse("inquiries:detail", args=[inquiry.pk]))
    raw = client_for(leader).get(reverse("inquiries:email_raw", args=[inquiry.pk, email.pk]))

    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "保存期間を過ぎたため消去しました" in text and "札幌" not in text
    assert reverse("inquiries:email_raw", args=[inquiry.pk, email.pk]) not in page.content.decode()
    assert raw.status_code == 404


def test_an_erased_contact_form_message_says_it_was_erased(operator, leader):
    inquiry = InquiryFactory(channel=Channel.WEB, operator=operator)
    InboxMessage.objects.create(
        reference=inquiry.reference,
        form_token="0c9e6679-7425-40de-944b-e07fc1f90ae7",
        question="札幌花子です",
        language="ja",
        reply_by="none",
        inquiry=inquiry,
        taken_at=timezone.now(),
    )
    age(inquiry, OLD)
    purge()

    text = visible_text(
        client_for(leader).get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    )

    assert "保存期間を過ぎたため消去しました" in text and "札幌" not in text
