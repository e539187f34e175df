"""Faxes, letters and the queue: registering what arrived with its scanned pages, handing the
queue out, and the printed reply that closes the inquiry."""

import io
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from conftest import client_for, visible_text
from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import (
    REFERENCE_PATTERN,
    Attachment,
    CallerContact,
    Channel,
    Escalation,
    EscalationStatus,
    Inquiry,
    InquiryStatus,
    Outcome,
    Reply,
    normalize_reference,
)
from inquiries.services.attachments import AttachmentRefused, add_attachment
from inquiries.tests.factories import InquiryArticleFactory, InquiryFactory
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["operator", "other_operator", "leader", "supervisor", "department_editor", "administrator"]


def tiff_pages(count: int = 2) -> bytes:
    """A fax as fax servers write it: black-and-white pages in one TIFF (CCITT group 4)."""
    pages = [Image.new("1", (1728, 200), 1) for _ in range(count)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))
    return out.getvalue()


def png_page() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, "PNG")
    return out.getvalue()


def pdf_page() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, "PDF")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def paper_form(**overrides):
    return {
        "channel": Channel.FAX,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
        "language": "ja",
        "name": "札幌 花子",
        "fax": "011-222-3333",
        "postal_address": "",
        "phone": "",
        "form_token": str(uuid.uuid4()),
        **overrides,
    }


@pytest.fixture
def fax(operator):
    inquiry = InquiryFactory(
        channel=Channel.FAX, operator=operator, outcome="", status=InquiryStatus.OPEN, summary=""
    )
    CallerContact.objects.create(inquiry=inquiry, name="札幌 花子", fax="011-222-3333")
    return inquiry


class TestReferences:
    def test_every_new_inquiry_gets_a_reference_nobody_can_count(self):
        first, second = InquiryFactory(), InquiryFactory()
        assert re.fullmatch(REFERENCE_PATTERN, first.reference)
        assert first.reference != second.reference

    @pytest.mark.parametrize(
        "typed", ["abcd-efgh-jk", "ABCDEFGHJK", "ａｂｃｄ－ｅｆｇｈ－ｊｋ", " abcd efgh jk "]
    )
    def test_a_reference_is_found_however_it_is_typed(self, typed):
        assert normalize_reference(typed) == "ABCD-EFGH-JK"

    def test_misread_letters_are_read_as_the_digits_they_look_like(self):
        assert normalize_reference("ol23-4567-89") == "0123-4567-89"

    def test_a_reference_of_the_wrong_length_is_no_reference(self):
        assert normalize_reference("ABCD-EFGH") == ""


class TestAttachments:
    @pytest.fixture(autouse=True)
    def in_english(self):
        with translation.override("en"):
            yield

    def test_a_tiff_fax_is_kept_with_a_pdf_of_all_its_pages(self, fax):
        attachment = add_attachment(inquiry=fax, name="fax.tif", data=tiff_pages(3))
        assert attachment.content_type == Attachment.Kind.TIFF
        preview = attachment.preview.read()
        assert preview.startswith(b"%PDF-")
        assert preview.count(b"/Type /Page\n") == 3

    def test_the_type_comes_from_the_content_not_the_name(self, fax):
        attachment = add_attachment(inquiry=fax, name="scan.pdf", data=png_page())
        assert attachment.content_type == Attachment.Kind.PNG

    def test_an_executable_renamed_pdf_is_refused_and_nothing_is_kept(self, fax):
        with pytest.raises(AttachmentRefused, match="not a PDF, PNG, JPEG or TIFF"):
            add_attachment(inquiry=fax, name="invoice.pdf", data=b"MZ\x90\x00" + b"\x00" * 200)
        assert not fax.attachments.exists()

    def test_a_file_over_the_limit_is_refused_with_the_limit(self, fax, settings):
        settings.ATTACHMENT_MAX_BYTES = 1000
        with pytest.raises(AttachmentRefused, match="larger than"):
            add_attachment(inquiry=fax, name="big.png", data=png_page() + b"\x00" * 1000)

    def test_a_damaged_image_is_refused(self, fax):
        with pytest.raises(AttachmentRefused, match="damaged"):
            add_attachment(inquiry=fax, name="cut.png", data=png_page()[:40])

    def test_a_folder_in_the_file_name_is_dropped(self, fax):
        attachment = add_attachment(inquiry=fax, name="..\\..\\windows\\scan 1.png", data=png_page())
        assert attachment.name == "scan 1.png"


class TestRegisteringPaper:
    def test_a_fax_with_its_pages_waits_in_the_queue_for_someone_to_take_it(self, operator, leader):
        response = client_for(operator).post(
            reverse("inquiries:register_paper"),
            {**paper_form(), "pages": [upload("p1.tif", tiff_pages()), upload("p2.pdf", pdf_page())]},
        )
        inquiry = Inquiry.objects.get()
        assert response.status_code == 302
        assert (inquiry.channel, inquiry.status, inquiry.operator, inquiry.summary) == (
            Channel.FAX,
            InquiryStatus.OPEN,
            None,
            "",
        )
        assert inquiry.attachments.count() == 2
        assert inquiry.contact.fax == "011-222-3333"
        queue = client_for(leader).get(reverse("inquiries:queue"))
        assert inquiry.reference in visible_text(queue.content.decode())

    def test_a_refused_page_is_named_and_the_others_are_kept(self, operator):
        client = client_for(operator)
        response = client.post(
            reverse("inquiries:register_paper"),
            {
                **paper_form(),
                "pages": [upload("virus.pdf", b"MZ" + b"\x00" * 50), upload("p1.png", png_page())],
            },
            follow=True,
        )
        text = visible_text(response.content.decode())
        assert "virus.pdf" in text
        assert Inquiry.objects.get().attachments.count() == 1

    def test_the_same_form_posted_twice_registers_once(self, operator):
        client = client_for(operator)
        form = paper_form()
        client.post(reverse("inquiries:register_paper"), form)
        client.post(reverse("inquiries:register_paper"), form)
        assert Inquiry.objects.count() == 1

    def test_a_fax_from_the_future_is_refused_and_the_form_kept(self, operator):
        later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
        response = client_for(operator).post(
            reverse("inquiries:register_paper"), paper_form(received_at=later, name="函館 太郎")
        )
        assert response.status_code == 400
        assert "函館 太郎" in response.content.decode()
        assert not Inquiry.objects.exists()


class TestQueue:
    def test_the_queue_holds_open_written_inquiries_nobody_took_oldest_first(self, leader, operator):
        now = timezone.now()
        newer = InquiryFactory(channel=Channel.EMAIL, outcome="", status="open", received_at=now)
        older = InquiryFactory(
            channel=Channel.LETTER, outcome="", status="open", received_at=now - timedelta(days=2)
        )
        InquiryFactory(channel=Channel.PHONE, outcome="", status="open")
        InquiryFactory(channel=Channel.EMAIL, outcome="", status="open", assigned_to=operator)
        InquiryFactory(channel=Channel.EMAIL)  # closed
        assert list(Inquiry.objects.unassigned_queue()) == [older, newer]
        text = visible_text(client_for(leader).get(reverse("inquiries:queue")).content.decode())
        assert text.index(older.reference) < text.index(newer.reference)
        assert "2 days" in text or "2日" in text

    def test_an_assigned_inquiry_leaves_the_queue_and_reaches_the_operators_list(self, leader, operator):
        inquiry = InquiryFactory(channel=Channel.WEB, outcome="", status="open", summary="")
        response = client_for(leader).post(
            reverse("inquiries:assign", args=[inquiry.pk]),
            {"assignee": operator.pk, "expected_assignee": "", "next": reverse("inquiries:queue")},
        )
        assert response.url == reverse("inquiries:queue")
        assert not Inquiry.objects.unassigned_queue().exists()
        mine = client_for(operator).get(reverse("inquiries:mine") + "?open_written=on")
        assert f'href="{reverse("inquiries:detail", args=[inquiry.pk])}"' in mine.content.decode()
        history = inquiry.history.first()
        assert (history.assigned_to_id, history.history_user) == (operator.pk, leader)

    def test_a_leader_does_not_overwrite_an_assignment_made_meanwhile(
        self, leader, supervisor, operator, other_operator
    ):
        inquiry = InquiryFactory(channel=Channel.EMAIL, outcome="", status="open", assigned_to=other_operator)
        response = client_for(leader).post(
            reverse("inquiries:assign", args=[inquiry.pk]),
            {"assignee": operator.pk, "expected_assignee": ""},
            follow=True,
        )
        inquiry.refresh_from_db()
        assert inquiry.assigned_to == other_operator
        assert any(
            "meanwhile" in str(message) or "その間" in str(message)
            for message in response.context["messages"]
        )

    def test_nobody_is_assigned_who_does_not_take_inquiries(self, leader, department_editor):
        inquiry = InquiryFactory(channel=Channel.EMAIL, outcome="", status="open")
        client_for(leader).post(
            reverse("inquiries:assign", args=[inquiry.pk]),
            {"assignee": department_editor.pk, "expected_assignee": ""},
        )
        inquiry.refresh_from_db()
        assert inquiry.assigned_to is None

    def test_an_outside_next_address_is_not_followed(self, leader, operator):
        inquiry = InquiryFactory(channel=Channel.EMAIL, outcome="", status="open")
        response = client_for(leader).post(
            reverse("inquiries:assign", args=[inquiry.pk]),
            {"assignee": operator.pk, "expected_assignee": "", "next": "https://evil.example/"},
        )
        assert response.url == reverse("inquiries:detail", args=[inquiry.pk])

    def test_the_staff_home_counts_the_queue_and_what_is_assigned(self, leader, operator):
        InquiryFactory(channel=Channel.EMAIL, outcome="", status="open")
        InquiryFactory(channel=Channel.FAX, outcome="", status="open", assigned_to=leader)
        page = client_for(leader).get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="en")
        assert "In the queue, nobody assigned" in visible_text(page.content.decode())


class TestPaperReply:
    def test_the_reply_starts_from_the_qas_used_and_the_contact(self, operator, fax):
        article = ArticleFactory(answer="粗大ごみは電話かインターネットで申し込みます。")
        InquiryArticleFactory(inquiry=fax, article=article)
        page = client_for(operator).get(reverse("inquiries:paper_reply", args=[fax.pk])).content.decode()
        assert "粗大ごみは電話かインターネットで申し込みます。" in page
        assert "011-222-3333" in page
        assert AuditEvent.objects.filter(action=audit.CONTACT_VIEWED).count() == 1

    def test_saving_the_reply_closes_the_inquiry_and_opens_the_page_to_print(self, operator, fax):
        response = client_for(operator).post(
            reverse("inquiries:paper_reply", args=[fax.pk]),
            {
                "channel": Reply.Channel.FAX,
                "to": "札幌 花子\n011-222-3333",
                "summary": "粗大ごみの申込方法",
                "body": "粗大ごみ受付センターへお申し込みください。",
                "form_token": str(uuid.uuid4()),
            },
            follow=True,
        )
        fax.refresh_from_db()
        assert (fax.outcome, fax.status, fax.summary) == (
            Outcome.RESOLVED,
            InquiryStatus.CLOSED,
            "粗大ごみの申込方法",
        )
        page = response.content.decode()
        assert "粗大ごみ受付センターへお申し込みください。" in page
        assert fax.reference in page
        assert "css/letter.css" in page
        assert "size: A4" in Path(finders.find("css/letter.css")).read_text()

    def test_a_reply_without_what_was_asked_keeps_the_text_and_says_why(self, operator, fax):
        response = client_for(operator).post(
            reverse("inquiries:paper_reply", args=[fax.pk]),
            {
                "channel": "fax",
                "to": "",
                "summary": "",
                "body": "回答の本文",
                "form_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 400
        assert "回答の本文" in response.content.decode()
        assert not Reply.objects.exists()
        fax.refresh_from_db()
        assert fax.status == InquiryStatus.OPEN

    def test_an_escalated_inquiry_stays_with_the_department_after_a_reply(self, operator, fax, department):
        Inquiry.objects.filter(pk=fax.pk).update(outcome=Outcome.ESCALATED, status=InquiryStatus.WAITING)
        Escalation.objects.create(
            inquiry=fax,
            department=department,
            reason="所管課の判断が必要",
            reply_by=timezone.localdate(),
            created_by=operator,
        )
        client_for(operator).post(
            reverse("inquiries:paper_reply", args=[fax.pk]),
            {
                "channel": "letter",
                "to": "",
                "summary": "粗大ごみの収集日",
                "body": "中間回答",
                "form_token": str(uuid.uuid4()),
            },
        )
        fax.refresh_from_db()
        assert (fax.outcome, fax.status) == (Outcome.ESCALATED, InquiryStatus.WAITING)
        assert Reply.objects.get().channel == Reply.Channel.LETTER

    def test_a_reply_passing_the_departments_answer_on_closes_the_inquiry(self, operator, fax, department):
        Inquiry.objects.filter(pk=fax.pk).update(outcome=Outcome.ESCALATED, status=InquiryStatus.OPEN)
        escalation = Escalation.objects.create(
            inquiry=fax,
            department=department,
            reason="所管課の判断が必要",
            reply_by=timezone.localdate(),
            created_by=operator,
            status=EscalationStatus.REPLIED,
            reply="収集日は毎週火曜日です。",
        )
        client_for(operator).post(
            reverse("inquiries:paper_reply", args=[fax.pk]),
            {
                "channel": "fax",
                "to": "",
                "summary": "粗大ごみの収集日",
                "body": "収集日は毎週火曜日です。",
                "form_token": str(uuid.uuid4()),
            },
        )
        fax.refresh_from_db()
        escalation.refresh_from_db()
        assert (fax.outcome, fax.status, escalation.status) == (
            Outcome.ESCALATED,
            InquiryStatus.CLOSED,
            EscalationStatus.DONE,
        )

    def test_the_same_reply_posted_twice_is_kept_once(self, operator, fax):
        form = {
            "channel": "fax",
            "to": "",
            "summary": "質問",
            "body": "回答",
            "form_token": str(uuid.uuid4()),
        }
        client = client_for(operator)
        client.post(reverse("inquiries:paper_reply", args=[fax.pk]), form)
        client.post(reverse("inquiries:paper_reply", args=[fax.pk]), form)
        assert Reply.objects.count() == 1

    def test_the_printed_reply_is_in_the_citizens_language(self, operator, fax):
        Inquiry.objects.filter(pk=fax.pk).update(language="en")
        client_for(operator).post(
            reverse("inquiries:paper_reply", args=[fax.pk]),
            {
                "channel": "fax",
                "to": "",
                "summary": "bulky waste",
                "body": "Call us.",
                "form_token": str(uuid.uuid4()),
            },
        )
        reply = Reply.objects.get()
        page = (
            client_for(operator)
            .get(reverse("inquiries:reply_print", args=[fax.pk, reply.pk]))
            .content.decode()
        )
        assert '<html lang="en">' in page
        assert "Answer to your inquiry" in page
        assert AuditEvent.objects.filter(action=audit.REPLY_VIEWED).exists()


@pytest.fixture
def reply(fax, operator):
    return Reply.objects.create(inquiry=fax, channel=Reply.Channel.FAX, body="回答", sent_by=operator)


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


NO_DEPARTMENTS = {"department_editor": 403, "administrator": 403}
PAGES = [
    ("get", "inquiries:queue", (), {**everyone(403), "leader": 200, "supervisor": 200}),
    ("get", "inquiries:register_paper", (), {**everyone(200), **NO_DEPARTMENTS}),
    ("post", "inquiries:assign", ("fax",), {**everyone(403), "leader": 302, "supervisor": 302}),
    ("post", "inquiries:upload_pages", ("fax",), {**everyone(302), "other_operator": 404, **NO_DEPARTMENTS}),
    ("get", "inquiries:paper_reply", ("fax",), {**everyone(200), "other_operator": 404, **NO_DEPARTMENTS}),
    (
        "get",
        "inquiries:reply_print",
        ("fax", "reply"),
        {**everyone(200), "other_operator": 404, **NO_DEPARTMENTS},
    ),
]


@pytest.mark.parametrize(
    ("method", "name", "uses", "expected"), PAGES, ids=[f"{m} {n}" for m, n, _u, _e in PAGES]
)
def test_who_may_open_each_page(request, method, name, uses, expected, fax, reply):
    url = reverse(name, args=[request.getfixturevalue(use).pk for use in uses])
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    for persona, status in expected.items():
        response = getattr(client_for(request.getfixturevalue(persona)), method)(url)
        assert response.status_code == status, persona


def test_a_phone_call_takes_no_scanned_pages(operator):
    call = InquiryFactory(operator=operator)
    response = client_for(operator).post(
        reverse("inquiries:upload_pages", args=[call.pk]), {"pages": [upload("p.png", png_page())]}
    )
    assert response.status_code == 404
    assert not call.attachments.exists()


def test_the_contact_of_a_fax_is_kept_as_personal_data(operator):
    client_for(operator).post(reverse("inquiries:register_paper"), paper_form(name="旭川 次郎"))
    assert CallerContact.objects.get().name == "旭川 次郎"
    assert "旭川 次郎" not in str(Inquiry.objects.values().get())
