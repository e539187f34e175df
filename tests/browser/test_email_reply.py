import pytest
from django.core import mail

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.models import InquiryStatus, Outcome
from inquiries.services.email import ingest_email
from inquiries.tests.mailbuilder import message, pdf_bytes
from tests.browser.conftest import assert_accessible, log_in


@pytest.mark.django_db(transaction=True)
def test_an_operator_reads_the_citizens_email_and_replies_with_the_keyboard(page, live_server, operator):
    raw = message(attachments=[("申込書.pdf", "application/pdf", pdf_bytes())])
    inquiry = ingest_email(raw=raw).inquiry
    inquiry.assigned_to = operator
    inquiry.save()
    log_in(page, live_server, operator.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/console/inquiries/{inquiry.pk}/")
    assert page.get_by_text("粗大ごみの申し込み方法を教えてください。").first.is_visible()
    assert page.get_by_role("link", name="申込書.pdf").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="メールで返信する").click()
    page.wait_for_url(f"{live_server.url}/console/inquiries/{inquiry.pk}/reply/")
    assert_accessible(page)
    assert inquiry.reference in page.get_by_label("件名").input_value()
    page.get_by_label("問い合わせ内容").fill("粗大ごみの申し込み方法")
    page.get_by_label("問い合わせ内容").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/console/inquiries/{inquiry.pk}/")
    assert page.get_by_text("返信を送信しました。").is_visible()
    assert_accessible(page)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hanako@example.jp"]
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.status) == (Outcome.RESOLVED, InquiryStatus.CLOSED)
