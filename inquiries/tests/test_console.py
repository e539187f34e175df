"""The operator console through HTTP: who may use it, and a call from search to save, with and
without JavaScript, where nothing typed is lost."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from inquiries.models import Inquiry, InquiryStatus, SurveyPeriod
from knowledgebase import services as kb_services
from knowledgebase.models import SearchLog, SiteNotice, Status
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db
CONSOLE = reverse("inquiries:console")
SEARCH = reverse("inquiries:console_search")


def form_data(**values):
    return {
        "form_token": str(uuid.uuid4()),
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
        "channel": "phone",
        "language": "ja",
        "kind": "question",
        "outcome": "resolved",
        "summary": "粗大ごみの出し方",
        "answer": "粗大ごみ受付センターへ申し込みます。",
        "age_band": "unknown",
        "gender": "unknown",
        "caller_type": "unknown",
        "area": "unknown",
        **values,
    }


@pytest.fixture
def bulky_waste(department, search_index):
    department.phone = "011-000-2201"
    department.save()
    article = kb_services.save_article(
        article=ArticleFactory.build(
            question="粗大ごみはどのように出せばよいですか。",
            answer="粗大ごみ受付センターに電話で申し込みます。",
            phone_script="粗大ごみは受付センターへのお申込みが必要でございます。",
            department=department,
            category=CategoryFactory(),
            status=Status.PUBLISHED,
        )
    )
    search_index.sync()
    return article


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("operator", 200),
        ("leader", 200),
        ("supervisor", 200),
        ("department_editor", 403),
        ("administrator", 403),
    ],
)
@pytest.mark.parametrize("url", [CONSOLE, SEARCH + "?q=ごみ"])
def test_the_console_is_for_the_people_who_take_calls(request, persona, expected, url, search_index):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == expected


@pytest.mark.parametrize("url", [CONSOLE, SEARCH])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_call_is_saved_as_resolved_with_the_answer_used_and_the_form_is_fresh_again(operator, bulky_waste):
    staff = client_for(operator)
    data = form_data(
        used=[f"{bulky_waste.pk}|1|粗大ごみ 出し方"], settled_q="粗大ごみ 出し方", settled_total="1"
    )
    response = staff.post(CONSOLE, data, follow=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.operator == operator
    assert list(inquiry.articles.all()) == [bulky_waste]
    assert inquiry.article_links.get().search == SearchLog.objects.get(query="粗大ごみ 出し方")
    assert response.redirect_chain[-1][0] == CONSOLE
    page = response.content.decode()
    assert f"{inquiry.pk}" in page and 'role="status"' in page
    assert response.context["form"]["summary"].value() in (None, "")


def test_the_live_search_shows_the_transfer_number_and_logs_nothing(operator, bulky_waste):
    page = client_for(operator).get(SEARCH, {"q": "粗大ごみ", "search_lang": "ja"}).content.decode()
    assert bulky_waste.question in page and "011-000-2201" in page
    assert "受付センターへのお申込み" in page  # the phone script, without a click
    assert not SearchLog.objects.exists()


def test_a_caller_in_english_is_answered_from_the_japanese_qas_through_the_translated_search(
    operator, bulky_waste
):
    page = client_for(operator).get(SEARCH, {"q": "bulky garbage", "search_lang": "en"}).content.decode()
    assert bulky_waste.question in page and 'lang="ja"' in page


def test_internal_qas_are_found_at_the_console(operator, search_index):
    internal = kb_services.save_article(
        article=ArticleFactory.build(question="職権消除の手順", audience="internal", status=Status.PUBLISHED)
    )
    search_index.sync()
    assert internal.question in client_for(operator).get(SEARCH, {"q": "職権消除"}).content.decode()


def test_without_javascript_using_an_answer_fills_the_form_and_keeps_what_was_typed(operator, bulky_waste):
    staff = client_for(operator)
    data = form_data(summary="", answer="", q="粗大ごみ", search_lang="ja", use=str(bulky_waste.pk))
    data["age_band"] = "70s"
    page = staff.post(CONSOLE, data)
    form = page.context["form"]
    assert form["summary"].value() == bulky_waste.question
    assert "受付センターへのお申込み" in form["answer"].value()
    assert form["category"].value() == str(bulky_waste.category_id)
    assert form["age_band"].value() == "70s"
    assert page.context["used"] == [bulky_waste]
    assert not Inquiry.objects.exists()


def test_a_bad_field_is_reported_and_nothing_typed_is_lost(operator):
    long_summary = "区民センターの予約" * 2300  # 20,700 characters
    response = client_for(operator).post(
        CONSOLE, form_data(summary=long_summary, answer="🙂 回答", channel="pigeon")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["summary"] and form.errors["channel"]
    assert form["answer"].value() == "🙂 回答"
    assert not Inquiry.objects.exists()


def test_control_characters_are_dropped_and_emoji_kept(operator):
    client_for(operator).post(CONSOLE, form_data(summary="ゴミ\x00の日\x1b 🗑️", answer="回答\r\n二行目"))
    inquiry = Inquiry.objects.get()
    assert inquiry.summary == "ゴミの日 🗑️" and inquiry.answer == "回答\n二行目"


def test_a_form_posted_twice_saves_once(operator):
    staff, data = client_for(operator), form_data()
    staff.post(CONSOLE, data)
    second = staff.post(CONSOLE, data, follow=True)
    assert Inquiry.objects.count() == 1
    assert "already saved" in second.content.decode() or "保存済み" in second.content.decode()


def test_a_qa_withdrawn_meanwhile_is_reported_not_a_500(operator, supervisor, bulky_waste):
    kb_services.withdraw_article(article=bulky_waste, user=supervisor, reason="制度終了")
    response = client_for(operator).post(CONSOLE, form_data(used=[f"{bulky_waste.pk}|1|粗大ごみ"]))
    assert response.status_code == 409
    assert response.context["used"] == []
    assert response.context["form"]["summary"].value() == "粗大ごみの出し方"
    assert not Inquiry.objects.exists()


def test_a_survey_during_a_survey_period_comes_before_the_next_call(operator):
    today = timezone.localdate()
    SurveyPeriod.objects.create(name="6月調査", first_day=today, last_day=today + timedelta(days=6))
    staff = client_for(operator)
    response = staff.post(CONSOLE, form_data(), follow=True)
    inquiry = Inquiry.objects.get()
    assert response.context["survey"] == inquiry
    staff.post(reverse("inquiries:console_survey", args=[inquiry.pk]), {"score": "4"})
    assert Inquiry.objects.get().satisfaction == 4
    assert client_for(operator).get(f"{CONSOLE}?survey={inquiry.pk}").context["survey"] is None


def test_no_survey_outside_a_survey_period(operator):
    SurveyPeriod.objects.create(name="過去", first_day=date(2020, 6, 1), last_day=date(2020, 6, 7))
    response = client_for(operator).post(CONSOLE, form_data(), follow=True)
    assert response.context["survey"] is None


def test_another_operators_inquiry_cannot_be_surveyed(operator, leader):
    from inquiries.tests.factories import InquiryFactory

    theirs = InquiryFactory(operator=leader)
    response = client_for(operator).post(
        reverse("inquiries:console_survey", args=[theirs.pk]), {"score": "5"}
    )
    assert response.status_code == 404


def test_active_notices_head_the_console_emergencies_first(operator):
    now = timezone.now()
    SiteNotice.objects.create(
        level="info", title="年末年始の窓口", body="…", starts_at=now - timedelta(hours=1)
    )
    SiteNotice.objects.create(
        level="emergency", title="大雨による避難指示", body="…", starts_at=now - timedelta(hours=2)
    )
    page = client_for(operator).get(CONSOLE).content.decode()
    assert page.index("大雨による避難指示") < page.index("年末年始の窓口")
