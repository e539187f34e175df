"""Every change of callers' personal data is in the audit log, by ids alone: a contact saved
from a fax, a letter or the contact form, a scanned page added, a paper reply recorded."""

import uuid

import pytest
from django.utils import timezone

from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import Channel, Reply
from inquiries.services.inbox import ContactMessage, submit_contact_message, take_inbox
from inquiries.services.written import UploadedPage, add_pages, record_paper_reply, register_paper_inquiry
from inquiries.tests.mailbuilder import pdf_bytes

pytestmark = pytest.mark.django_db

NAME = "佐藤一郎"


def logged(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_fax_registered_with_a_contact_and_pages_is_audited(operator):
    fax, _created = register_paper_inquiry(
        channel=Channel.FAX,
        received_at=timezone.now(),
        language="ja",
        user=operator,
        contact={"name": NAME, "fax": "011-222-3333", "reply_by": "fax"},
    )
    add_pages(inquiry=fax, pages=[UploadedPage("p1.pdf", pdf_bytes())], user=operator)

    (contact,) = logged(audit.CONTACT_SAVED)
    (page,) = logged(audit.ATTACHMENT_ADDED)
    assert contact.actor == operator and contact.object_id == str(fax.contact.pk)
    assert page.actor == operator and page.object_id == str(fax.attachments.get().pk)
    assert NAME not in contact.object_repr + contact.note


def test_a_paper_reply_is_audited(operator):
    letter, _created = register_paper_inquiry(
        channel=Channel.LETTER, received_at=timezone.now(), language="ja", user=operator, contact={}
    )
    reply, _created = record_paper_reply(
        inquiry=letter,
        user=operator,
        channel=Reply.Channel.LETTER,
        to=NAME,
        body="回答です",
        summary="街灯の修理",
    )

    (event,) = logged(audit.REPLY_SENT)
    assert event.actor == operator and event.object_id == str(reply.pk)


def test_a_contact_form_message_taken_in_audits_its_contact():
    submit_contact_message(
        message=ContactMessage(
            form_token=uuid.uuid4(), question="街灯が切れています", language="ja", reply_by="phone", name=NAME
        ),
        visitor="192.0.2.9",
    )
    take_inbox()

    (event,) = logged(audit.CONTACT_SAVED)
    assert event.actor is None and NAME not in event.object_repr
