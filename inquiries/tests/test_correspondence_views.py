"""Reading e-mails, attachments and replies: who sees what, how files are served, what the
audit log says."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from conftest import client_for, visible_text
from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import Channel, InquiryStatus, Reply
from inquiries.services.attachments import add_attachment
from inquiries.services.email import ingest_email
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.mailbuilder import message, pdf_bytes

pytestmark = pytest.mark.django_db


def tiff_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("L", (16, 16), 255).save(out, "TIFF")
    return out.getvalue()


@pytest.fixture
def world(operator, other_operator):
    raw = message(
        body="粗大ごみの出し方を教えてください。",
        attachments=[("申込書.pdf", "application/pdf", pdf_bytes()), ("fax.tif", "image/tiff", tiff_bytes())],
    )
    email = ingest_email(raw=raw).email
    inquiry = email.inquiry
    inquiry.assigned_to = operator
    inquiry.save()
    pdf, tiff = email.attachments.order_by("pk")
    Reply.objects.create(
        inquiry=inquiry,
        channel=Reply.Channel.EMAIL,
        to="hanako@example.jp",
        body="回答しました",
        sent_by=operator,
    )
    return {"inquiry": inquiry, "email": email, "pdf": pdf, "tiff": tiff, "raw": raw}


def urls(world):
    pk = world["inquiry"].pk
    return {
        "detail": reverse("inquiries:detail", args=[pk]),
        "raw": reverse("inquiries:email_raw", args=[pk, world["email"].pk]),
        "attachment": reverse("inquiries:attachment", args=[pk, world["pdf"].pk]),
        "preview": reverse("inquiries:attachment_preview", args=[pk, world["tiff"].pk]),
        "reply": reverse("inquiries:reply", args=[pk]),
    }


# Status codes by persona; the detail page is 200 for those who see the inquiry at all.
EXPECTED = {
    "other_operator": {"detail": 404, "raw": 404, "attachment": 404, "preview": 404, "reply": 404},
    "operator": {"detail": 200, "raw": 200, "attachment": 200, "preview": 200, "reply": 200},
    "leader": {"detail": 200, "raw": 200, "attachment": 200, "preview": 200, "reply": 200},
    "supervisor": {"detail": 200, "raw": 200, "attachment": 200, "preview": 200, "reply": 200},
    "department_editor": {"detail": 403, "raw": 403, "attachment": 403, "preview": 403, "reply": 403},
    "administrator": {"detail": 403, "raw": 403, "attachment": 403, "preview": 403, "reply": 403},
}


@pytest.mark.parametrize("page", ["detail", "raw", "attachment", "preview", "reply"])
@pytest.mark.parametrize("persona", ["anonymous", *EXPECTED])
def test_each_role_gets_what_the_access_table_says(client, world, request, persona, page):
    url = urls(world)[page]
    visitor = client if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    response = visitor.get(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == EXPECTED[persona][page]


def test_those_who_handle_the_inquiry_read_the_emails_and_replies_and_the_reading_is_audited(world, operator):
    text = visible_text(client_for(operator).get(urls(world)["detail"]).content.decode())
    assert "粗大ごみの出し方を教えてください。" in text
    assert "hanako@example.jp" in text and "申込書.pdf" in text and "回答しました" in text
    event = AuditEvent.objects.get(action=audit.EMAILS_VIEWED)
    assert event.actor == operator and event.object_id == str(world["inquiry"].pk)
    assert f"email:{world['email'].pk}" in event.note and "hanako" not in event.note + event.object_repr


def test_someone_who_sees_the_inquiry_but_not_the_contact_sees_only_how_many_emails(world, operator, leader):
    leader.user_permissions.clear()
    # A leader stripped of reading contacts still sees the inquiry.
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(user=leader)
    group.permissions.remove(Permission.objects.get(codename="view_callercontact"))
    text = visible_text(client_for(leader).get(urls(world)["detail"]).content.decode())
    assert "粗大ごみの出し方を教えてください。" not in text and "hanako@example.jp" not in text
    assert "1" in text
    assert not AuditEvent.objects.filter(action=audit.EMAILS_VIEWED).exists()


def test_the_raw_message_downloads_as_eml_never_shown_by_the_browser(world, operator):
    response = client_for(operator).get(urls(world)["raw"])
    assert b"".join(response.streaming_content) == world["raw"]
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action=audit.EMAIL_DOWNLOADED, object_id=str(world["email"].pk)).exists()


def test_an_attachment_is_served_with_its_type_and_safe_name(world, operator):
    response = client_for(operator).get(urls(world)["attachment"])
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("inline;")
        and "filename*=utf-8''" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=audit.ATTACHMENT_VIEWED, object_id=str(world["pdf"].pk)).exists()


def test_a_tiff_is_previewed_as_pdf_inline_and_downloaded_as_itself(world, operator):
    visitor = client_for(operator)
    preview = visitor.get(urls(world)["preview"])
    assert preview["Content-Type"] == "application/pdf" and preview["Content-Disposition"].startswith(
        "inline;"
    )
    assert 'filename="fax.pdf"' in preview["Content-Disposition"]
    tiff = visitor.get(reverse("inquiries:attachment", args=[world["inquiry"].pk, world["tiff"].pk]))
    assert tiff["Content-Type"] == "image/tiff" and tiff["Content-Disposition"].startswith("attachment;")


def test_an_attachment_of_another_inquiry_is_not_found_through_this_one(world, operator):
    other = InquiryFactory(operator=operator, channel=Channel.FAX, outcome="", status=InquiryStatus.OPEN)
    page = add_attachment(inquiry=other, name="scan.pdf", data=pdf_bytes(), uploaded_by=operator)
    visitor = client_for(operator)
    assert (
        visitor.get(reverse("inquiries:attachment", args=[world["inquiry"].pk, page.pk])).status_code == 404
    )
    assert visitor.get(reverse("inquiries:email_raw", args=[other.pk, world["email"].pk])).status_code == 404
    assert visitor.get(reverse("inquiries:attachment", args=[other.pk, page.pk])).status_code == 200


def test_a_file_missing_from_storage_is_not_found_not_an_error(world, operator):
    world["pdf"].file.delete(save=False)
    assert client_for(operator).get(urls(world)["attachment"]).status_code == 404


def test_a_phone_inquiry_shows_no_correspondence_section(inquiry, operator):
    text = visible_text(
        client_for(operator).get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    )
    assert "Correspondence" not in text and "やり取り" not in text
