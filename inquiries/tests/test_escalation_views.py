"""The escalation pages for every role: anonymous visitors log in first; a department's editors
see and answer their own department's escalations and another department's are 404; the
centre escalates, shares the contact and passes replies on; leaders and supervisors cancel;
administrators get none of it. Then what each page shows and refuses."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, visible_text
from contactcenter.accounts.models import AuditEvent
from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from inquiries import audit
from inquiries.models import (
    ArticleSource,
    Escalation,
    EscalationStatus,
    Inquiry,
    InquiryStatus,
    Outcome,
    ReplyAction,
)
from inquiries.services import escalations as services
from inquiries.tests.factories import CallerContactFactory, InquiryFactory
from inquiries.tests.test_console import form_data

pytestmark = pytest.mark.django_db

PERSONAS = [
    "operator",
    "other_operator",
    "leader",
    "supervisor",
    "department_editor",
    "other_editor",
    "administrator",
]
DIRECT = EscalationStatus.ANSWERED_DIRECTLY


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


@pytest.fixture
def other_editor(other_department):
    return UserFactory(username="other_editor", role=Role.DEPARTMENT_EDITOR, department=other_department)


@pytest.fixture
def world(operator, department):
    contact = CallerContactFactory(inquiry__operator=operator, inquiry__outcome="", inquiry__status="open")
    escalation = services.escalate_inquiry(
        inquiry=contact.inquiry, department=department, reason="担当課の判断が必要", user=operator
    )
    return {"escalation": escalation, "inquiry": contact.inquiry, "department": department}


def shared(world):
    services.share_contact(escalation=world["escalation"], user=world["escalation"].created_by)


def replied(world):
    editor = UserFactory(username="replier", role=Role.DEPARTMENT_EDITOR, department=world["department"])
    services.answer_escalation(
        escalation=world["escalation"], user=editor, reply="回答します", action=ReplyAction.CALL_BACK
    )


def fresh_inquiry(world):
    Inquiry.objects.filter(pk=world["inquiry"].pk).update(outcome="", status=InquiryStatus.OPEN)
    Escalation.objects.all().delete()


# (method, url name, uses, data, setup, {persona: expected status})
PAGES = [
    (
        "get",
        "inquiries:escalations",
        None,
        None,
        None,
        {**everyone(200), "administrator": 403},
    ),
    (
        "get",
        "inquiries:escalation",
        "escalation",
        None,
        None,
        {**everyone(200), "other_operator": 404, "other_editor": 404, "administrator": 403},
    ),
    (
        "post",
        "inquiries:escalation_answer",
        "escalation",
        {"version": 1, "reply": "回答", "action": DIRECT},
        None,
        {**everyone(403), "department_editor": 302, "other_editor": 404},
    ),
    (
        "post",
        "inquiries:escalation_share",
        "escalation",
        None,
        None,
        {**everyone(403), "operator": 302, "other_operator": 404, "leader": 302, "supervisor": 302},
    ),
    (
        "get",
        "inquiries:escalation_contact",
        "escalation",
        None,
        shared,
        {**everyone(403), "department_editor": 200, "other_editor": 404},
    ),
    (
        "post",
        "inquiries:escalation_cancel",
        "escalation",
        {"note": "誤り"},
        None,
        {**everyone(403), "leader": 302, "supervisor": 302},
    ),
    (
        "post",
        "inquiries:escalation_finish",
        "escalation",
        None,
        replied,
        {**everyone(403), "operator": 302, "other_operator": 404, "leader": 302, "supervisor": 302},
    ),
    (
        "post",
        "inquiries:escalation_article",
        "escalation",
        None,
        replied,
        {**everyone(403), "supervisor": 302, "department_editor": 302, "other_editor": 404},
    ),
    (
        "get",
        "inquiries:escalate",
        "inquiry",
        None,
        None,
        {
            **everyone(200),
            "other_operator": 404,
            "department_editor": 403,
            "other_editor": 403,
            "administrator": 403,
        },
    ),
    (
        "post",
        "inquiries:escalate",
        "inquiry",
        "escalate",
        fresh_inquiry,
        {
            **everyone(302),
            "other_operator": 404,
            "department_editor": 403,
            "other_editor": 403,
            "administrator": 403,
        },
    ),
    (
        "post",
        "inquiries:inquiry_article",
        "inquiry",
        None,
        None,
        {**everyone(403), "supervisor": 302},
    ),
]


@pytest.mark.parametrize(
    ("method", "name", "uses", "data", "setup", "expected"),
    PAGES,
    ids=[f"{page[0]} {page[1]}" for page in PAGES],
)
@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_each_role_gets_what_the_access_table_says(
    request, client, world, method, name, uses, data, setup, expected, persona
):
    if setup:
        setup(world)
    if data == "escalate":
        data = {"department": world["department"].pk, "reason": "理由"}
    url = reverse(name, args=[world[uses].pk] if uses else [])
    visitor = client if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    response = getattr(visitor, method)(url, data or {})
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected[persona]


def test_the_department_page_shows_the_summary_and_reason_but_never_the_contact(world, department_editor):
    page = visible_text(
        client_for(department_editor)
        .get(reverse("inquiries:escalation", args=[world["escalation"].pk]))
        .content.decode()
    )
    assert "粗大ごみの出し方" in page and "担当課の判断が必要" in page
    assert "090-1111-2222" not in page and "札幌 花子" not in page
    assert "受付センターに申し込みます" not in page  # the centre's notes stay with the centre


def test_the_shared_contact_page_shows_the_contact_and_records_the_reading(world, department_editor):
    shared(world)
    response = client_for(department_editor).get(
        reverse("inquiries:escalation_contact", args=[world["escalation"].pk])
    )
    assert "090-1111-2222" in response.content.decode()
    assert AuditEvent.objects.filter(action=audit.SHARED_CONTACT_VIEWED, actor=department_editor).count() == 1


def test_the_department_list_puts_waiting_ones_first_and_says_overdue_in_words(
    world, department_editor, operator, department
):
    Escalation.objects.filter(pk=world["escalation"].pk).update(reply_by="2020-01-06")
    done = services.escalate_inquiry(
        inquiry=InquiryFactory(operator=operator, outcome="", status="open", summary="済んだ件"),
        department=department,
        reason="済",
        user=operator,
    )
    services.answer_escalation(escalation=done, user=department_editor, reply="回答", action=DIRECT)
    Escalation.objects.filter(pk=done.pk).update(reply_by="2019-01-01")
    html = (
        client_for(department_editor)
        .get(reverse("inquiries:escalations"), headers={"accept-language": "en"})
        .content.decode()
    )
    text = visible_text(html)
    assert text.index("粗大ごみの出し方") < text.index("済んだ件")
    assert "Overdue" in text and "2020-01-06" in text


def test_the_overdue_filter_and_a_bad_filter_value(world, supervisor):
    client = client_for(supervisor)
    Escalation.objects.filter(pk=world["escalation"].pk).update(reply_by="2020-01-06")
    assert (
        "粗大ごみの出し方" in client.get(reverse("inquiries:escalations"), {"overdue": "on"}).content.decode()
    )
    Escalation.objects.filter(pk=world["escalation"].pk).update(reply_by="2999-01-06")
    assert (
        "粗大ごみの出し方"
        not in client.get(reverse("inquiries:escalations"), {"overdue": "on"}).content.decode()
    )
    response = client.get(
        reverse("inquiries:escalations"), {"department": "nonsense", "status": "x", "page": "abc"}
    )
    assert response.status_code == 200 and "粗大ごみの出し方" in response.content.decode()


def test_a_department_list_has_no_department_filter_and_only_its_own(world, other_editor):
    response = client_for(other_editor).get(
        reverse("inquiries:escalations"), {"department": world["department"].pk}
    )
    assert "粗大ごみの出し方" not in response.content.decode()


def test_a_reply_posted_after_a_colleague_answered_is_refused_and_kept(world, department_editor, department):
    url = reverse("inquiries:escalation_answer", args=[world["escalation"].pk])
    colleague = UserFactory(username="colleague", role=Role.DEPARTMENT_EDITOR, department=department)
    assert (
        client_for(colleague).post(url, {"version": 1, "reply": "先の回答", "action": DIRECT}).status_code
        == 302
    )
    response = client_for(department_editor).post(
        url, {"version": 1, "reply": "私の回答", "action": ReplyAction.REPLY}
    )
    assert response.status_code == 409
    assert "私の回答" in response.content.decode()  # what was typed is not lost
    assert Escalation.objects.get().reply == "先の回答"


def test_a_reply_without_text_or_choice_says_what_is_missing(world, department_editor):
    url = reverse("inquiries:escalation_answer", args=[world["escalation"].pk])
    response = client_for(department_editor).post(url, {"version": 1, "reply": "下書き", "action": ""})
    assert response.status_code == 400 and "下書き" in response.content.decode()
    assert Escalation.objects.get().status == EscalationStatus.WAITING


def test_a_reply_on_an_inquiry_closed_meanwhile_gets_a_clear_message(world, department_editor):
    Inquiry.objects.filter(pk=world["inquiry"].pk).update(status=InquiryStatus.CLOSED)
    url = reverse("inquiries:escalation_answer", args=[world["escalation"].pk])
    response = client_for(department_editor).post(
        url, {"version": 1, "reply": "回答", "action": DIRECT}, headers={"accept-language": "en"}
    )
    assert response.status_code == 409 and "closed this inquiry meanwhile" in response.content.decode()


def test_the_console_sends_an_escalated_inquiry_to_the_escalate_form(operator):
    client = client_for(operator)
    response = client.post(
        reverse("inquiries:console"),
        form_data(kind="complaint", summary="職員の対応への苦情", answer="", outcome=Outcome.ESCALATED),
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:escalate", args=[inquiry.pk]) + "?from=console"
    detail = client.get(reverse("inquiries:detail", args=[inquiry.pk]), headers={"accept-language": "en"})
    assert "not yet sent to a department" in detail.content.decode()


def test_the_edit_page_sends_a_newly_escalated_inquiry_to_the_escalate_form(operator):
    inquiry = InquiryFactory(operator=operator)
    data = {
        "version": inquiry.version,
        "received_at": timezone.localtime(inquiry.received_at).strftime("%Y-%m-%dT%H:%M:%S"),
        **{
            k: v
            for k, v in form_data(outcome=Outcome.ESCALATED).items()
            if k not in ("form_token", "received_at")
        },
    }
    response = client_for(operator).post(reverse("inquiries:edit", args=[inquiry.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:escalate", args=[inquiry.pk])


def test_escalating_from_the_form_and_a_bad_form_keeps_the_text(world, operator, department):
    fresh_inquiry(world)
    url = reverse("inquiries:escalate", args=[world["inquiry"].pk])
    client = client_for(operator)
    response = client.post(url, {"department": "", "reason": "説明文"})
    assert response.status_code == 400 and "説明文" in response.content.decode()
    response = client.post(url, {"department": department.pk, "reason": "説明文", "share_contact": "on"})
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.contact_is_shared() and escalation.created_by == operator
    again = client.post(
        url, {"department": department.pk, "reason": "もう一度"}, headers={"accept-language": "en"}
    )
    assert again.status_code == 400 and "already waiting" in again.content.decode()


def test_the_inquiry_page_lists_its_escalations_and_drafts(world, supervisor):
    replied(world)
    client = client_for(supervisor)
    response = client.post(reverse("inquiries:escalation_article", args=[world["escalation"].pk]))
    source = ArticleSource.objects.get()
    assert response["Location"] == reverse("kb:edit", args=[source.article_id])
    page = client.get(reverse("inquiries:detail", args=[world["inquiry"].pk])).content.decode()
    assert reverse("inquiries:escalation", args=[world["escalation"].pk]) in page
    assert reverse("kb:detail", args=[source.article_id]) in page


def test_passing_the_reply_on_closes_the_inquiry(world, operator):
    replied(world)
    response = client_for(operator).post(
        reverse("inquiries:escalation_finish", args=[world["escalation"].pk])
    )
    assert response.status_code == 302
    assert Inquiry.objects.get(pk=world["inquiry"].pk).status == InquiryStatus.CLOSED


def test_staff_home_counts_escalations_for_each_role(world, department_editor, supervisor, operator):
    Escalation.objects.filter(pk=world["escalation"].pk).update(reply_by="2020-01-06")
    home = visible_text(
        client_for(department_editor)
        .get(reverse("staff:home"), headers={"accept-language": "en"})
        .content.decode()
    )
    assert (
        "Escalations waiting for your department" in home and "Overdue escalations of your department" in home
    )
    home = visible_text(
        client_for(supervisor).get(reverse("staff:home"), headers={"accept-language": "en"}).content.decode()
    )
    assert "Overdue escalations" in home
    replied(world)
    home = visible_text(
        client_for(operator).get(reverse("staff:home"), headers={"accept-language": "en"}).content.decode()
    )
    assert "Department replies to act on" in home
    assert not mail.outbox


def test_the_list_takes_the_same_few_queries_for_one_or_many_escalations(
    world, supervisor, operator, department, other_department, django_assert_max_num_queries
):
    client = client_for(supervisor)
    client.get(reverse("inquiries:escalations"))  # sessions and permissions warmed up
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("inquiries:escalations"))
    for number in range(30):
        services.escalate_inquiry(
            inquiry=InquiryFactory(operator=operator, outcome="", status="open"),
            department=other_department if number % 2 else department,
            reason=f"理由{number}",
            user=operator,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("inquiries:escalations"))


def test_escalating_a_closed_question_says_why_and_keeps_the_reason(operator, department):
    inquiry = InquiryFactory(operator=operator)  # resolved and closed
    url = reverse("inquiries:escalate", args=[inquiry.pk])
    client = client_for(operator)
    assert "only a complaint" in client.get(url, headers={"accept-language": "en"}).content.decode()
    response = client.post(
        url, {"department": department.pk, "reason": "やはり担当課へ"}, headers={"accept-language": "en"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be escalated" in page and "やはり担当課へ" in page
    assert not Escalation.objects.exists()


def test_escalating_from_the_console_returns_to_the_console_for_the_next_call(operator, department):
    inquiry = InquiryFactory(operator=operator, outcome=Outcome.ESCALATED, status="waiting", kind="complaint")
    response = client_for(operator).post(
        reverse("inquiries:escalate", args=[inquiry.pk]) + "?from=console",
        {"department": department.pk, "reason": "料金の返還を求める苦情"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:console")
    assert inquiry.escalations.get().department == department
