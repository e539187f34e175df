"""Every kind of page carries the Content-Security-Policy and holds nothing it would block."""

import re

import pytest

from conftest import client_for
from inquiries.tests.factories import InquiryFactory
from knowledgebase.tests.factories import ArticleFactory

POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A <script> that runs (no src, not a JSON data block), a style element or attribute, an on…= handler,
# or a javascript: link: all refused by the policy, so none may be in a page.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.I)


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_locked_down(response) -> None:
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert _directives(response["Content-Security-Policy"]) == POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
        assert not pattern.search(html), (response.request["PATH_INFO"], pattern.search(html).group(0))


@pytest.fixture
def article(db):
    return ArticleFactory(question="粗大ごみの出し方を教えてください。", answer="<p>電話で申し込みます。</p>")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/search/?q=ごみ", "/search/?q=", "/contact/", "/accessibility/", "/accounts/login/"],
)
def test_public_pages_carry_the_policy_and_no_inline_code(client, article, path):
    _assert_locked_down(client.get(path))


def test_a_public_q_and_a_carries_the_policy_and_no_inline_code(client, article):
    _assert_locked_down(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("operator", "/console/"),
        ("operator", "/console/mine/"),
        ("operator", "/accounts/"),
        ("operator", "/accounts/two-factor/setup/"),
        ("operator", "/accounts/password/"),
        ("leader", "/console/inquiries/"),
        ("leader", "/console/queue/"),
        ("supervisor", "/reports/"),
        ("supervisor", "/reports/volume/"),
        ("supervisor", "/reports/first-contact-resolution/"),
        ("supervisor", "/kb/"),
        ("administrator", "/admin/"),
        ("administrator", "/admin/accounts/user/"),
    ],
)
def test_staff_pages_carry_the_policy_and_no_inline_code(request, article, persona, path):
    _assert_locked_down(client_for(request.getfixturevalue(persona)).get(path))


def test_an_inquiry_page_carries_the_policy_and_no_inline_code(operator):
    inquiry = InquiryFactory(operator=operator)
    _assert_locked_down(client_for(operator).get(f"/console/inquiries/{inquiry.pk}/"))


def test_json_and_error_answers_carry_the_policy_too(client, db):
    assert "frame-ancestors 'none'" in client.get("/api/v1/faq/search?q=ごみ")["Content-Security-Policy"]
    assert "default-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]
