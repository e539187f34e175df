"""What the inquiries app puts on the staff home: pages by role, each person's calls today
and the callbacks they owe, counted in one query."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from inquiries import work
from inquiries.models import InquiryStatus
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)


def urls(links):
    return {link.url_name for link in links}


def test_each_role_gets_the_inquiry_pages_it_may_use(
    operator, leader, supervisor, department_editor, administrator
):
    takes_calls = {"inquiries:console", "inquiries:mine", "inquiries:register_paper", "inquiries:escalations"}
    assert urls(work.links_for(operator)) == takes_calls
    assert urls(work.links_for(leader)) == {*takes_calls, "inquiries:list", "inquiries:queue"}
    assert urls(work.links_for(supervisor)) == {
        *takes_calls,
        "inquiries:list",
        "inquiries:queue",
        "inquiries:surveys",
    }
    assert urls(work.links_for(department_editor)) == {"inquiries:escalations"}
    assert work.links_for(administrator) == []


def test_calls_today_are_the_centres_day_and_callbacks_are_those_still_owed(
    operator, other_operator, django_assert_num_queries, monkeypatch
):
    now = datetime(2027, 4, 2, 10, 0, tzinfo=TOKYO)
    monkeypatch.setattr(timezone, "now", lambda: now)
    InquiryFactory(operator=operator, received_at=datetime(2027, 4, 2, 0, 0, tzinfo=TOKYO))
    InquiryFactory(operator=operator, received_at=datetime(2027, 4, 2, 9, 59, tzinfo=TOKYO))
    InquiryFactory(operator=operator, received_at=datetime(2027, 4, 1, 23, 59, tzinfo=TOKYO))
    InquiryFactory(operator=other_operator, received_at=now)
    InquiryFactory(
        operator=operator,
        received_at=now - timedelta(days=3),
        outcome="",
        status=InquiryStatus.WAITING,
        callback_needed=True,
    )
    InquiryFactory(
        operator=other_operator,
        assigned_to=operator,
        outcome="",
        status=InquiryStatus.OPEN,
        callback_needed=True,
    )
    InquiryFactory(operator=operator, callback_needed=True, status=InquiryStatus.CLOSED)
    operator.has_perm("inquiries.add_inquiry")  # permissions cached, as on a page
    InquiryFactory(
        operator=None, assigned_to=operator, channel="email", outcome="", status=InquiryStatus.OPEN
    )
    with django_assert_num_queries(2):  # the calls, and the department replies to act on
        today, callbacks, written, _replies = work.work_for(operator)
    assert (today.count, callbacks.count, written.count) == (2, 2, 1)
    assert written.url == reverse("inquiries:mine") + "?open_written=on"
    assert today.url == reverse("inquiries:mine")
    assert callbacks.url == reverse("inquiries:mine") + "?open_callbacks=on"


def test_people_who_take_no_calls_get_no_call_counts(department_editor, administrator):
    assert work.work_for(administrator) == []
    # A department's counts are its escalations, never calls or callbacks.
    assert all(
        count.url.startswith(reverse("inquiries:escalations")) for count in work.work_for(department_editor)
    )


def test_the_staff_home_shows_an_operators_counts_and_links(operator):
    InquiryFactory(operator=operator)
    page = client_for(operator).get(reverse("staff:home")).content.decode()
    assert reverse("inquiries:mine") + "?open_callbacks=on" in page
    assert reverse("inquiries:console") in page
