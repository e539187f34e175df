"""A fax from arrival to the printed answer, in a real browser: registered with its scanned
page, assigned from the queue, answered on the centre's letterhead; axe on every page."""

import io

import pytest
from PIL import Image

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.models import Inquiry, InquiryStatus, Outcome
from tests.browser.conftest import assert_accessible, log_in


def fax_tiff(path):
    pages = [Image.new("1", (1728, 300), 1) for _ in range(2)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="group4")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_a_fax_is_registered_assigned_and_answered_on_paper(page, live_server, leader, operator, tmp_path):
    log_in(page, live_server, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/console/paper/new/")
    assert_accessible(page)
    page.get_by_label("差出人の氏名").fill("伊藤 幸子")
    page.get_by_label("差出人のファクス番号").fill("011-555-0199")
    page.get_by_label("スキャンしたページ").set_input_files(str(fax_tiff(tmp_path / "fax.tif")))
    page.get_by_role("button", name="登録").click()
    page.wait_for_url("**/console/inquiries/*/")
    inquiry = Inquiry.objects.get()
    assert inquiry.attachments.get().preview

    page.goto(f"{live_server.url}/console/queue/")
    assert_accessible(page)
    page.get_by_label(f"{inquiry.reference} の担当者").select_option(label=str(operator))
    page.get_by_role("button", name="割り当てる").first.click()
    page.wait_for_url("**/console/queue/")
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == operator

    page.goto(f"{live_server.url}/console/inquiries/{inquiry.pk}/paper-reply/")
    assert_accessible(page)
    page.get_by_label("問い合わせ内容").fill("粗大ごみの出し方")
    page.locator("#id_body").fill("粗大ごみ受付センターにお申し込みください。")
    page.get_by_role("button", name="保存して印刷").click()
    page.wait_for_url("**/print/")
    assert "粗大ごみ受付センターにお申し込みください。" in page.locator(".letter-body").inner_text()
    assert inquiry.reference in page.locator("main").inner_text()
    assert_accessible(page)
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.status) == (Outcome.RESOLVED, InquiryStatus.CLOSED)
