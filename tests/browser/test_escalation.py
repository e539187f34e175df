"""An escalation in a real browser: the operator passes an inquiry to a department, the
department's editor finds it in their list and replies, and the inquiry ends closed; axe
checks the new pages on the way."""

import pytest

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.models import Escalation, EscalationStatus, Inquiry, InquiryStatus, Outcome
from inquiries.tests.factories import InquiryFactory
from tests.browser.conftest import assert_accessible, log_in


@pytest.fixture
def open_inquiry(operator):
    return InquiryFactory(
        operator=operator, outcome="", status=InquiryStatus.OPEN, summary="ごみ収集日の変更について"
    )


def as_person(page, live_server, user) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")


def escalate(page, live_server, operator, inquiry, department) -> None:
    as_person(page, live_server, operator)
    page.goto(f"{live_server.url}/console/inquiries/{inquiry.pk}/")
    page.get_by_role("link", name="担当課へエスカレーション").click()
    assert_accessible(page)
    page.locator("#id_department").select_option(str(department.pk))
    page.get_by_role("textbox", name="担当課に回答を依頼する理由").fill("収集日の変更は担当課の判断が必要")
    page.get_by_role("button", name="エスカレーションする").click()
    page.wait_for_url(f"{live_server.url}/console/inquiries/{inquiry.pk}/")
    assert page.get_by_text("回答期限は").is_visible()


def open_from_department_list(page, live_server, editor) -> None:
    as_person(page, live_server, editor)
    page.get_by_role("link", name="貴課へのエスカレーション").first.click()
    page.wait_for_url(f"{live_server.url}/console/escalations/")
    assert_accessible(page)
    page.get_by_role("link", name="ごみ収集日の変更について").click()
    assert page.get_by_text("収集日の変更は担当課の判断が必要").is_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_department_answers_the_citizen_directly_and_the_inquiry_closes(
    page, live_server, operator, department_editor, department, open_inquiry
):
    escalate(page, live_server, operator, open_inquiry, department)
    open_from_department_list(page, live_server, department_editor)
    page.get_by_role("textbox", name="担当課の回答").fill("電話で変更日をお伝えしました。")
    page.get_by_label("担当課が直接市民に回答した（問い合わせを完了する）").check()
    page.get_by_role("button", name="センターへ回答を送る").click()
    assert page.get_by_text("回答を保存しました。").is_visible()
    assert_accessible(page)
    inquiry = Inquiry.objects.get(pk=open_inquiry.pk)
    assert (inquiry.status, inquiry.outcome) == (InquiryStatus.CLOSED, Outcome.ESCALATED)
    assert Escalation.objects.get().status == EscalationStatus.ANSWERED_DIRECTLY


@pytest.mark.django_db(transaction=True)
def test_a_call_back_task_comes_back_to_the_operator_who_closes_the_inquiry(
    page, live_server, operator, department_editor, department, open_inquiry
):
    escalate(page, live_server, operator, open_inquiry, department)
    open_from_department_list(page, live_server, department_editor)
    page.get_by_role("textbox", name="担当課の回答").fill("来月から火曜日に変わります。")
    page.get_by_label("センターがこの回答を市民に折り返し電話で伝える").check()
    page.get_by_role("button", name="センターへ回答を送る").click()
    assert page.get_by_text("回答を保存しました。").is_visible()

    as_person(page, live_server, operator)
    page.get_by_role("link", name="対応が必要な担当課の回答").click()
    assert_accessible(page)
    page.get_by_role("link", name="ごみ収集日の変更について").click()
    assert page.get_by_text("来月から火曜日に変わります。").is_visible()
    page.get_by_role("button", name="市民に伝えた（問い合わせを完了する）").click()
    page.wait_for_url(f"{live_server.url}/console/inquiries/{open_inquiry.pk}/")
    assert Inquiry.objects.get(pk=open_inquiry.pk).status == InquiryStatus.CLOSED
    assert Escalation.objects.get().status == EscalationStatus.DONE
