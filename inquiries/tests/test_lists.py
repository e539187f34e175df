"""The inquiry lists: one's own, and all of them with filters for leaders and supervisors.
Every filter narrows, a bad value is left out while the others still apply, days are the
centre's (Asia/Tokyo) days with both ends included, and the page costs the same number of
queries however many inquiries there are."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from inquiries.models import Channel, InquiryLanguage, InquiryStatus, Kind, Outcome
from inquiries.tests.factories import InquiryFactory
from knowledgebase.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
LIST = reverse("inquiries:list")
MINE = reverse("inquiries:mine")


def listed(client, url=LIST, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return {inquiry.pk for inquiry in response.context["page_obj"]}


@pytest.fixture
def leader_client(leader):
    return client_for(leader)


def test_my_inquiries_are_those_i_took_or_was_assigned_newest_first(operator, other_operator):
    now = timezone.now()
    older = InquiryFactory(operator=operator, received_at=now - timedelta(hours=2))
    assigned = InquiryFactory(
        operator=other_operator, assigned_to=operator, received_at=now - timedelta(hours=1)
    )
    newest = InquiryFactory(operator=operator, received_at=now)
    InquiryFactory(operator=other_operator)
    response = client_for(operator).get(MINE)
    assert list(response.context["page_obj"]) == [newest, assigned, older]
    page = response.content.decode()
    assert reverse("inquiries:detail", args=[newest.pk]) in page


def test_a_leader_sees_only_their_own_calls_on_my_inquiries(leader, operator):
    InquiryFactory(operator=operator)
    own = InquiryFactory(operator=leader)
    assert listed(client_for(leader), MINE) == {own.pk}


def test_my_open_callbacks_leave_out_closed_ones_and_calls_without_callback(operator):
    owed = InquiryFactory(operator=operator, outcome="", status=InquiryStatus.WAITING, callback_needed=True)
    InquiryFactory(operator=operator, callback_needed=True, status=InquiryStatus.CLOSED)
    InquiryFactory(operator=operator)
    client = client_for(operator)
    assert listed(client, MINE, open_callbacks="on") == {owed.pk}
    assert len(listed(client, MINE)) == 3


def test_my_inquiries_are_fifty_a_page_and_odd_page_numbers_show_a_page(operator):
    InquiryFactory.create_batch(51, operator=operator)
    client = client_for(operator)
    assert len(listed(client, MINE)) == 50
    assert len(listed(client, MINE, page=2)) == 1
    for page in ("abc", "0", "-1", "99999", "1e9"):
        assert client.get(MINE, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    ("field", "wanted", "other"),
    [
        ("channel", Channel.FAX, Channel.PHONE),
        ("kind", Kind.COMPLAINT, Kind.QUESTION),
        ("outcome", Outcome.ESCALATED, Outcome.RESOLVED),
        ("status", InquiryStatus.WAITING, InquiryStatus.CLOSED),
        ("language", InquiryLanguage.KOREAN, InquiryLanguage.JAPANESE),
    ],
)
def test_each_choice_filter_narrows_the_list(leader_client, field, wanted, other):
    match = InquiryFactory(**{field: wanted})
    InquiryFactory(**{field: other})
    assert listed(leader_client, **{field: wanted}) == {match.pk}


def test_the_operator_filter_narrows_to_their_calls(leader_client, operator, other_operator):
    theirs = InquiryFactory(operator=operator)
    InquiryFactory(operator=other_operator)
    assert listed(leader_client, operator=operator.pk) == {theirs.pk}


def test_a_topic_includes_its_subtopics_and_a_subtopic_only_itself(leader_client):
    topic = CategoryFactory(name="ごみ")
    bulky = CategoryFactory(name="粗大ごみ", parent=topic)
    on_topic = InquiryFactory(category=topic)
    on_bulky = InquiryFactory(category=bulky)
    InquiryFactory(category=CategoryFactory(name="戸籍"))
    assert listed(leader_client, category=topic.pk) == {on_topic.pk, on_bulky.pk}
    assert listed(leader_client, category=bulky.pk) == {on_bulky.pk}


def test_the_date_range_is_tokyo_days_with_both_ends_included(leader_client):
    def at(*parts):
        return InquiryFactory(received_at=datetime(*parts, tzinfo=TOKYO)).pk

    at(2027, 3, 31, 23, 59, 59)
    first = at(2027, 4, 1, 0, 0)
    last = at(2027, 4, 2, 23, 59)
    at(2027, 4, 3, 0, 0)
    assert listed(leader_client, received_from="2027-04-01", received_to="2027-04-02") == {first, last}
    assert listed(leader_client, received_from="2027-04-02", received_to="2027-04-02") == {last}
    assert listed(leader_client, received_to="2027-04-01") >= {first}
    assert last not in listed(leader_client, received_to="2027-04-01")


def test_free_text_looks_in_what_was_asked_and_answered_every_word_counting(leader_client):
    asked = InquiryFactory(summary="犬の登録をしたい", answer="区役所で受け付けます。")
    answered = InquiryFactory(summary="ペットのこと", answer="犬の登録は保健所です。")
    InquiryFactory(summary="猫の譲渡", answer="動物管理センターへ")
    assert listed(leader_client, q="犬") == {asked.pk, answered.pk}
    assert listed(leader_client, q="犬　区役所") == {asked.pk}  # a full-width space separates words too
    assert listed(leader_client, q="登録 保健所") == {answered.pk}


def test_free_text_without_dates_searches_the_last_31_days_and_says_so(leader_client):
    today = timezone.localdate()
    recent = InquiryFactory(received_at=timezone.now() - timedelta(days=29), summary="犬の登録")
    old = InquiryFactory(received_at=timezone.now() - timedelta(days=40), summary="犬の登録")
    response = leader_client.get(LIST, {"q": "犬"})
    assert {inquiry.pk for inquiry in response.context["page_obj"]} == {recent.pk}
    assert response.context["form"].text_search_limited
    assert "31" in response.content.decode()
    with_dates = {"q": "犬", "received_from": (today - timedelta(days=60)).isoformat()}
    response = leader_client.get(LIST, with_dates)
    assert {inquiry.pk for inquiry in response.context["page_obj"]} == {recent.pk, old.pk}
    assert not response.context["form"].text_search_limited
    # Without free text, no window: the whole list.
    assert listed(leader_client) == {recent.pk, old.pk}


@pytest.mark.parametrize(
    "bad",
    [
        {"channel": "carrier-pigeon"},
        {"received_from": "2027-02-30"},
        {"received_from": "0001-01-01"},
        {"received_to": "9999-12-31"},
        {"received_from": "tomorrow"},
        {"operator": "abc"},
        {"operator": "999999"},
        {"operator": str(2**64)},
        {"category": "999999"},
        {"category": str(2**64)},
        {"status": "CLOSED"},
        {"q": "x" * 1000},
        {"q": "犬\x00"},
        {"page": "abc"},
    ],
    ids=lambda bad: ",".join(bad),
)
def test_a_bad_filter_value_is_left_out_and_the_others_still_apply(leader_client, bad):
    complaint = InquiryFactory(kind=Kind.COMPLAINT)
    InquiryFactory(kind=Kind.QUESTION)
    response = leader_client.get(LIST, {"kind": Kind.COMPLAINT, **bad})
    assert response.status_code == 200
    assert {inquiry.pk for inquiry in response.context["page_obj"]} == {complaint.pk}


def test_a_bad_value_is_shown_with_its_message_in_the_filter_form(leader_client):
    response = leader_client.get(LIST, {"channel": "carrier-pigeon"}, headers={"accept-language": "en"})
    assert "channel" in response.context["form"].errors
    assert "left out" in response.content.decode()


def test_an_end_before_the_start_is_left_out_and_the_start_applies(leader_client):
    late = InquiryFactory(received_at=datetime(2027, 4, 10, 12, 0, tzinfo=TOKYO))
    InquiryFactory(received_at=datetime(2027, 4, 1, 12, 0, tzinfo=TOKYO))
    response = leader_client.get(LIST, {"received_from": "2027-04-05", "received_to": "2027-04-02"})
    assert {inquiry.pk for inquiry in response.context["page_obj"]} == {late.pk}
    assert "received_to" in response.context["form"].errors


def test_beyond_the_count_limit_the_page_says_more_than_and_does_not_count_on(leader_client, monkeypatch):
    monkeypatch.setattr("inquiries.views.lists.COUNT_LIMIT", 3)
    InquiryFactory.create_batch(5)
    response = leader_client.get(LIST, headers={"accept-language": "en"})
    assert response.context["page_obj"].paginator.count == 4  # counting stopped at limit + 1
    assert "More than 3 inquiries" in response.content.decode()
    assert len(response.context["page_obj"]) == 4  # a page ends where counting stopped


def test_the_export_link_keeps_the_filters(leader_client):
    page = leader_client.get(LIST, {"kind": Kind.COMPLAINT, "page": "2"}).content.decode()
    assert f"{reverse('inquiries:export')}?kind=complaint" in page


@pytest.mark.parametrize("rows", [1, 60])
def test_the_list_of_all_costs_the_same_queries_for_one_or_sixty_inquiries(
    leader, operator, rows, django_assert_max_num_queries
):
    topic = CategoryFactory(name="ごみ")
    InquiryFactory.create_batch(
        rows, operator=operator, category=CategoryFactory(name="粗大ごみ", parent=topic)
    )
    client = client_for(leader)
    # session, user, own and groups' permissions, count, page, operator and category choices,
    # and the session saved again (3: it is renewed on every request)
    with django_assert_max_num_queries(11):
        response = client.get(LIST, {"received_from": "2000-01-01", "q": "粗大ごみ", "kind": "question"})
    assert len(response.context["page_obj"]) == min(rows, 50)


@pytest.mark.parametrize("rows", [1, 60])
def test_my_inquiries_cost_the_same_queries_for_one_or_sixty(operator, rows, django_assert_max_num_queries):
    topic = CategoryFactory(name="ごみ")
    InquiryFactory.create_batch(
        rows, operator=operator, category=CategoryFactory(name="粗大ごみ", parent=topic)
    )
    client = client_for(operator)
    # session, user, own and groups' permissions, count, page, the session saved again (3)
    with django_assert_max_num_queries(9):
        response = client.get(MINE)
    assert len(response.context["page_obj"]) == min(rows, 50)


def test_filter_days_are_checked_before_they_become_moments():
    from inquiries.filters import InquiryFilterForm

    form = InquiryFilterForm({"received_from": "1999-12-31", "received_to": "3000-01-01"})
    assert set(form.values()) >= {"received_from", "received_to"}
    assert form.values()["received_from"] is None and form.values()["received_to"] is None
    assert InquiryFilterForm({"received_from": "2000-01-01"}).values()["received_from"] == date(2000, 1, 1)
