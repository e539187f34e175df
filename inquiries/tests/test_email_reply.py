"""Replying to a citizen's e-mail from the app: prefilled from the Q&As used, sent once,
threaded to their message, and the inquiry closed (unless escalated)."""

import smtplib
import uuid

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from conftest import client_for, visible_text
from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import Channel, InquiryArticle, InquiryStatus, Outcome, Reply
from inquiries.services.email import Ingested, ingest_email
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.mailbuilder import message
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(operator):
    """An e-mail inquiry assigned to `operator`, answered from one Q&A."""
    inquiry = ingest_email(raw=message()).inquiry
    inquiry.assigned_to = operator
    inquiry.save()
    article = ArticleFactory(question="粗大ごみの出し方", answer="粗大ごみ受付センターにお申し込みください。")
    InquiryArticle.objects.create(inquiry=inquiry, article=article, position=0)
    return inquiry


def reply_url(inquiry):
    return reverse("inquiries:reply", args=[inquiry.pk])


def form_data(inquiry, **changes):
    data = {
        "to": "hanako@example.jp",
        "subject": f"Re: 粗大ごみについて [{inquiry.reference}]",
        "body": "粗大ごみ受付センターにお申し込みください。",
        "summary": "粗大ごみの申し込み方法",
        "form_token": str(uuid.uuid4()),
    }
    return {**data, **changes}


def test_the_reply_starts_from_the_answers_of_the_qas_used_with_greeting_and_reference(inquiry, operator):
    response = client_for(operator).get(reply_url(inquiry), headers={"accept-language": "ja"})
    form = response.context["form"]
    body = form.initial["body"]
    assert "粗大ごみ受付センターにお申し込みください。" in body
    assert inquiry.reference in body
    assert form.initial["subject"] == f"Re: 粗大ごみについて [{inquiry.reference}]"
    assert form.initial["to"] == "hanako@example.jp"
    assert "粗大ごみの申し込み方法を教えてください。" in visible_text(response.content.decode())


def test_an_english_inquiry_gets_an_english_greeting(inquiry, operator):
    inquiry.language = "en"
    inquiry.save()
    body = client_for(operator).get(reply_url(inquiry)).context["form"].initial["body"]
    assert body.startswith("Thank you for contacting")


def test_without_qas_the_reply_starts_from_the_answer_written_on_the_inquiry(inquiry, operator):
    inquiry.article_links.all().delete()
    inquiry.answer = "月曜日に収集します。"
    inquiry.save()
    assert (
        "月曜日に収集します。" in client_for(operator).get(reply_url(inquiry)).context["form"].initial["body"]
    )


def test_sending_threads_the_reply_keeps_it_and_closes_the_inquiry_as_resolved(inquiry, operator):
    response = client_for(operator).post(reply_url(inquiry), form_data(inquiry))
    assert response.status_code == 302
    (sent,) = mail.outbox
    reply = Reply.objects.get()
    assert sent.to == ["hanako@example.jp"]
    assert sent.extra_headers["In-Reply-To"] == "<m1@example.jp>"
    assert sent.extra_headers["References"] == "<m1@example.jp>"
    assert sent.extra_headers["Message-ID"] == reply.message_id
    assert (reply.channel, reply.sent_by, reply.in_reply_to) == (
        Reply.Channel.EMAIL,
        operator,
        inquiry.emails.get(),
    )
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.status) == (Outcome.RESOLVED, InquiryStatus.CLOSED)
    assert inquiry.operator == operator and inquiry.summary == "粗大ごみの申し込み方法"
    assert AuditEvent.objects.filter(action=audit.REPLY_SENT, object_id=str(reply.pk)).exists()


def test_the_citizens_answer_to_our_reply_joins_the_inquiry_again(inquiry, operator):
    client_for(operator).post(reply_url(inquiry), form_data(inquiry))
    reply = Reply.objects.get()
    result = ingest_email(
        raw=message(message_id="<m2@example.jp>", headers={"In-Reply-To": reply.message_id})
    )
    assert result.outcome == Ingested.FOLLOW_UP and result.inquiry == inquiry
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.operator == operator


def test_the_same_form_posted_twice_sends_once(inquiry, operator):
    data = form_data(inquiry)
    visitor = client_for(operator)
    visitor.post(reply_url(inquiry), data)
    response = visitor.post(reply_url(inquiry), data, follow=True)
    assert len(mail.outbox) == 1 and Reply.objects.count() == 1
    assert response.status_code == 200


def test_an_escalated_inquiry_stays_escalated_and_waiting(inquiry, operator):
    inquiry.outcome = Outcome.ESCALATED
    inquiry.status = InquiryStatus.WAITING
    inquiry.summary = "苦情"
    inquiry.save()
    client_for(operator).post(reply_url(inquiry), form_data(inquiry))
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.status) == (Outcome.ESCALATED, InquiryStatus.WAITING)
    assert len(mail.outbox) == 1


def test_a_mail_server_that_refuses_loses_nothing_and_says_so(inquiry, operator, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    data = form_data(inquiry, body="丁寧に書いた回答です。")
    response = client_for(operator).post(reply_url(inquiry), data, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "did not accept the reply" in response.content.decode()
    assert "丁寧に書いた回答です。" in response.content.decode()
    assert not Reply.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.summary == ""


def test_a_refused_recipient_is_logged_without_the_citizens_address(inquiry, operator, monkeypatch, caplog):
    address = inquiry.contact.email

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({address: (550, b"no such user")})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    client_for(operator).post(reply_url(inquiry), form_data(inquiry))
    assert "SMTPRecipientsRefused" in caplog.text
    assert address not in caplog.text


def test_a_reply_without_what_was_asked_is_refused_and_not_sent(inquiry, operator):
    response = client_for(operator).post(reply_url(inquiry), form_data(inquiry, summary="  "))
    assert response.status_code == 200 and response.context["form"].errors["summary"]
    assert not mail.outbox and not Reply.objects.exists()


def test_an_address_that_never_wrote_cannot_be_slipped_in(inquiry, operator):
    response = client_for(operator).post(reply_url(inquiry), form_data(inquiry, to="attacker@example.com"))
    assert response.status_code == 200 and response.context["form"].errors["to"]
    assert not mail.outbox


def test_a_subject_with_line_breaks_becomes_one_line(inquiry, operator):
    client_for(operator).post(reply_url(inquiry), form_data(inquiry, subject="Re: a\r\nBcc: x@example.com"))
    assert mail.outbox[0].subject == "Re: a Bcc: x@example.com"
    assert "Bcc" not in mail.outbox[0].message().as_string().split("\n\n")[0].replace(
        "Subject: Re: a Bcc", ""
    )


def test_a_phone_inquiry_has_no_email_reply(operator):
    phone = InquiryFactory(operator=operator, channel=Channel.PHONE)
    assert client_for(operator).get(reply_url(phone)).status_code == 404


def test_an_email_inquiry_without_any_address_says_how_to_reply_instead(operator):
    inquiry = ingest_email(raw=message(sender=None)).inquiry
    inquiry.assigned_to = operator
    inquiry.save()
    response = client_for(operator).get(reply_url(inquiry), headers={"accept-language": "en"})
    assert "no e-mail address to reply to" in response.content.decode()
