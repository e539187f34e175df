"""Every inquiry list and page for every role (ARCHITECTURE.md, "Who may do what"): anonymous
visitors log in first; an operator sees their own inquiries and another operator's are 404;
leaders and supervisors see all; departments and administrators get none of it. The caller's
contact is 404 to anyone who may not read it, as if the inquiry did not exist."""

import pytest
from django.urls import reverse

from conftest import client_for
from inquiries.tests.factories import CallerContactFactory, SurveyPeriodFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["operator", "other_operator", "leader", "supervisor", "department_editor", "administrator"]


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


# (method, url name, uses: inquiry | period | None, {persona: expected status})
PAGES = [
    ("get", "inquiries:mine", None, {**everyone(200), "department_editor": 403, "administrator": 403}),
    (
        "get",
        "inquiries:list",
        None,
        {**everyone(403), "leader": 200, "supervisor": 200},
    ),
    (
        "get",
        "inquiries:export",
        None,
        {**everyone(403), "leader": 200, "supervisor": 200},
    ),
    (
        "get",
        "inquiries:detail",
        "inquiry",
        {**everyone(200), "other_operator": 404, "department_editor": 403, "administrator": 403},
    ),
    (
        "get",
        "inquiries:edit",
        "inquiry",
        {**everyone(200), "other_operator": 404, "department_editor": 403, "administrator": 403},
    ),
    (
        "post",
        "inquiries:edit",
        "inquiry",
        {**everyone(200), "other_operator": 404, "department_editor": 403, "administrator": 403},
    ),
    (
        "get",
        "inquiries:contact",
        "inquiry",
        {**everyone(200), "other_operator": 404, "department_editor": 404, "administrator": 404},
    ),
    (
        "post",
        "inquiries:contact",
        "inquiry",
        {**everyone(302), "other_operator": 404, "department_editor": 404, "administrator": 404},
    ),
    ("get", "inquiries:surveys", None, {**everyone(200), "department_editor": 403, "administrator": 403}),
    ("post", "inquiries:surveys", None, {**everyone(403), "supervisor": 200}),
    ("get", "inquiries:survey_edit", "period", {**everyone(403), "supervisor": 200}),
    ("post", "inquiries:survey_edit", "period", {**everyone(403), "supervisor": 200}),
    ("post", "inquiries:survey_delete", "period", {**everyone(403), "supervisor": 302}),
]


@pytest.fixture
def world(operator):
    contact = CallerContactFactory(inquiry__operator=operator)
    return {"inquiry": contact.inquiry, "period": SurveyPeriodFactory()}


@pytest.mark.parametrize(
    ("method", "name", "uses", "expected"), PAGES, ids=[f"{page[0]} {page[1]}" for page in PAGES]
)
@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_each_role_gets_what_the_access_table_says(
    request, client, world, method, name, uses, expected, persona
):
    url = reverse(name, args=[world[uses].pk] if uses else [])
    visitor = client if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    response = getattr(visitor, method)(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected[persona]


@pytest.mark.parametrize("name", ["inquiries:detail", "inquiries:edit", "inquiries:contact"])
def test_an_inquiry_that_does_not_exist_is_404_even_for_a_supervisor(supervisor, name):
    for pk in (999999, 2**63 + 5):
        assert client_for(supervisor).get(reverse(name, args=[pk])).status_code == 404


def test_an_operator_assigned_an_inquiry_sees_it(other_operator, world):
    inquiry = world["inquiry"]
    inquiry.assigned_to = other_operator
    inquiry.save()
    assert client_for(other_operator).get(reverse("inquiries:detail", args=[inquiry.pk])).status_code == 200
