"""Every URL of the project, for every persona, against one expected table (ACCESS, below).

The URLs come from the resolver, so a new view cannot be forgotten: a route without a row in
ACCESS fails the test with the row to add (check it against ARCHITECTURE.md, "Who may do what",
before pasting it). Path parameters are filled with real rows of one small world; each request
runs in a savepoint that is rolled back, so every request sees the same world and one persona's
POST cannot change what the next one gets.

Codes: LOGIN is a redirect to the staff login, ADMIN_LOGIN one to the admin's login, 302 any
other redirect; otherwise the HTTP status. Views that refuse GET (405) are also POSTed to, with
an empty form, as ("POST", route). Public pages (i18n_patterns) are walked in the default
language (Japanese, no prefix) and again under /en/, which must answer the same.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from conftest import THIS_SITE, client_for
from contactcenter.accounts.models import AuditEvent
from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from inquiries.models import (
    CallerContact,
    Channel,
    Escalation,
    InboxMessage,
    InquiryStatus,
    Reply,
    SurveyPeriod,
)
from inquiries.services.attachments import add_attachment
from inquiries.services.email import ingest_email
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.mailbuilder import message
from knowledgebase import services as kb_services
from knowledgebase.models import Flag, SearchLog, SiteNotice, Status, Synonym
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"
ADMIN_LOGIN = "admin login"
PERSONAS = ("anonymous", "operator", "leader", "supervisor", "editor_a", "editor_b", "administrator")

# Shorthands for the usual rows, each in the order of PERSONAS:
#   anonymous, operator, leader, supervisor, editor of department A, editor of B, administrator.
PUBLIC = (200,) * 7
POST_ONLY = (405,) * 7
STAFF = (LOGIN, 200, 200, 200, 200, 200, 200)
CENTRE = (LOGIN, 200, 200, 200, 403, 403, 403)  # operators, leaders and supervisors
LEADERS = (LOGIN, 403, 200, 200, 403, 403, 403)
SUPERVISORS = (LOGIN, 403, 403, 200, 403, 403, 403)
EDITORS = (LOGIN, 403, 403, 200, 200, 200, 403)  # supervisors and department editors
ADMIN_ONLY = (ADMIN_LOGIN,) * 6 + (200,)
ADMIN_REFUSED = (ADMIN_LOGIN,) * 6 + (403,)
ADMIN_REDIRECT = (ADMIN_LOGIN,) * 6 + (302,)

# The one table: (method, route) → what each persona gets. The world's rows: an e-mailed
# inquiry the operator took (a letter one for the paper routes), escalated to department A
# with the contact shared; a published Q&A of department A.
ACCESS: dict[tuple[str, str], tuple] = {
    # Public pages and site-wide
    ("GET", "healthz"): PUBLIC,
    ("GET", "robots.txt"): PUBLIC,
    ("GET", "favicon.ico"): (302, 302, 302, 302, 302, 302, 302),
    ("GET", "sitemap.xml"): PUBLIC,
    ("GET", "display/"): (302, 302, 302, 302, 302, 302, 302),
    ("GET", "i18n/setlang/"): (302, 302, 302, 302, 302, 302, 302),
    # Staff sign-in and home
    ("GET", "accounts/"): STAFF,
    ("GET", "accounts/login/"): (200, 302, 302, 302, 302, 302, 302),
    ("GET", "accounts/logout/"): POST_ONLY,
    ("POST", "accounts/logout/"): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("GET", "accounts/password/"): STAFF,
    ("GET", "accounts/password/done/"): STAFF,
    # The admin: administrators only; everyone else is sent to its login
    ("GET", "admin/"): ADMIN_ONLY,
    ("GET", "admin/login/"): (200, 200, 200, 200, 200, 200, 302),
    ("GET", "admin/logout/"): (302, 302, 302, 302, 302, 302, 405),
    ("POST", "admin/logout/"): (302, 302, 302, 302, 302, 302, LOGIN),
    ("GET", "admin/password_change/"): ADMIN_ONLY,
    ("GET", "admin/password_change/done/"): ADMIN_ONLY,
    ("GET", "admin/autocomplete/"): ADMIN_REFUSED,
    ("GET", "admin/jsi18n/"): ADMIN_ONLY,
    ("GET", "admin/r/<path:content_type_id>/<path:object_id>/"): (
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        404,
    ),
    ("GET", "admin/accounts/department/"): ADMIN_ONLY,
    ("GET", "admin/accounts/department/add/"): ADMIN_ONLY,
    ("GET", "admin/accounts/department/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/accounts/department/<path:object_id>/delete/"): ADMIN_ONLY,
    ("GET", "admin/accounts/department/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/accounts/department/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/accounts/user/<id>/password/"): ADMIN_ONLY,
    ("GET", "admin/accounts/user/"): ADMIN_ONLY,
    ("GET", "admin/accounts/user/add/"): ADMIN_ONLY,
    ("GET", "admin/accounts/user/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/accounts/user/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/accounts/user/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/accounts/user/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/auth/group/"): ADMIN_ONLY,
    ("GET", "admin/auth/group/add/"): ADMIN_REFUSED,
    ("GET", "admin/auth/group/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/auth/group/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/auth/group/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/auth/group/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/accounts/auditevent/"): ADMIN_ONLY,
    ("GET", "admin/accounts/auditevent/export.csv"): ADMIN_ONLY,
    ("GET", "admin/accounts/auditevent/add/"): ADMIN_REFUSED,
    ("GET", "admin/accounts/auditevent/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/accounts/auditevent/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/accounts/auditevent/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/accounts/auditevent/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/knowledgebase/article/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/article/add/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/article/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/article/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/article/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/article/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/knowledgebase/category/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/category/add/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/category/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/category/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/category/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/category/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/knowledgebase/synonym/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/synonym/add/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/synonym/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/synonym/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/synonym/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/synonym/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/knowledgebase/indexlog/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/indexlog/add/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/indexlog/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/indexlog/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/indexlog/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/indexlog/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/knowledgebase/searchlog/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/searchlog/add/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/searchlog/<path:object_id>/history/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/searchlog/<path:object_id>/delete/"): ADMIN_REFUSED,
    ("GET", "admin/knowledgebase/searchlog/<path:object_id>/change/"): ADMIN_ONLY,
    ("GET", "admin/knowledgebase/searchlog/<path:object_id>/"): ADMIN_REDIRECT,
    ("GET", "admin/(?P<url>.*)$"): (
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        404,
    ),
    # Q&A editing (/kb/)
    ("GET", "kb/"): EDITORS,
    ("GET", "kb/new/"): EDITORS,
    ("GET", "kb/search/"): STAFF,
    ("GET", "kb/export/"): EDITORS,
    ("GET", "kb/review/"): SUPERVISORS,
    ("GET", "kb/flags/"): EDITORS,
    ("GET", "kb/flags/<int:pk>/resolve/"): POST_ONLY,
    ("POST", "kb/flags/<int:pk>/resolve/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    ("GET", "kb/synonyms/"): SUPERVISORS,
    ("GET", "kb/synonyms/<int:pk>/"): SUPERVISORS,
    ("GET", "kb/synonyms/<int:pk>/delete/"): POST_ONLY,
    ("POST", "kb/synonyms/<int:pk>/delete/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/notices/"): SUPERVISORS,
    ("GET", "kb/notices/<int:pk>/"): SUPERVISORS,
    ("GET", "kb/notices/<int:pk>/end/"): POST_ONLY,
    ("POST", "kb/notices/<int:pk>/end/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/"): (LOGIN, 403, 403, 200, 200, 404, 403),
    ("GET", "kb/<int:pk>/edit/"): (LOGIN, 403, 403, 200, 200, 404, 403),
    ("GET", "kb/<int:pk>/submit/"): POST_ONLY,
    ("POST", "kb/<int:pk>/submit/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    ("GET", "kb/<int:pk>/send-back/"): POST_ONLY,
    ("POST", "kb/<int:pk>/send-back/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/publish/"): POST_ONLY,
    ("POST", "kb/<int:pk>/publish/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/withdraw/"): POST_ONLY,
    ("POST", "kb/<int:pk>/withdraw/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/history/"): (LOGIN, 403, 403, 200, 200, 404, 403),
    ("GET", "kb/<int:pk>/translate/"): POST_ONLY,
    ("POST", "kb/<int:pk>/translate/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    ("GET", "kb/<int:pk>/flag/"): POST_ONLY,
    ("POST", "kb/<int:pk>/flag/"): (LOGIN, 302, 302, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/preview/"): (LOGIN, 403, 403, 200, 200, 404, 403),
    ("GET", "kb/<int:pk>/restore/"): POST_ONLY,
    ("POST", "kb/<int:pk>/restore/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "kb/<int:pk>/revision/live-changes/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    ("GET", "kb/<int:pk>/revision/discard/"): POST_ONLY,
    ("POST", "kb/<int:pk>/revision/discard/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    # The console, inquiries, queue and escalations
    ("GET", "console/"): CENTRE,
    ("GET", "console/search/"): CENTRE,
    ("GET", "console/<int:pk>/survey/"): POST_ONLY,
    ("POST", "console/<int:pk>/survey/"): (LOGIN, 302, 302, 302, 403, 403, 403),
    ("GET", "console/mine/"): CENTRE,
    ("GET", "console/inquiries/"): LEADERS,
    ("GET", "console/inquiries/export.csv"): LEADERS,
    ("GET", "console/inquiries/<int:pk>/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/edit/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/contact/"): (LOGIN, 200, 200, 200, 404, 404, 404),
    ("GET", "console/queue/"): LEADERS,
    ("GET", "console/paper/new/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/assign/"): POST_ONLY,
    ("POST", "console/inquiries/<int:pk>/assign/"): (LOGIN, 403, 302, 302, 403, 403, 403),
    ("GET", "console/inquiries/<int:pk>/pages/"): POST_ONLY,
    ("POST", "console/inquiries/<int:pk>/pages/"): (LOGIN, 302, 302, 302, 403, 403, 403),
    ("GET", "console/inquiries/<int:pk>/paper-reply/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/replies/<int:reply>/print/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/reply/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/emails/<int:email_pk>/raw/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/attachments/<int:attachment_pk>/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/attachments/<int:attachment_pk>/preview/"): CENTRE,
    ("GET", "console/surveys/"): CENTRE,
    ("GET", "console/surveys/<int:pk>/"): SUPERVISORS,
    ("GET", "console/surveys/<int:pk>/delete/"): POST_ONLY,
    ("POST", "console/surveys/<int:pk>/delete/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "console/inquiries/find/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/escalate/"): CENTRE,
    ("GET", "console/inquiries/<int:pk>/qa-draft/"): POST_ONLY,
    ("POST", "console/inquiries/<int:pk>/qa-draft/"): (LOGIN, 403, 403, 302, 403, 403, 403),
    ("GET", "console/escalations/"): (LOGIN, 200, 200, 200, 200, 200, 403),
    ("GET", "console/escalations/<int:pk>/"): (LOGIN, 200, 200, 200, 200, 404, 403),
    ("GET", "console/escalations/<int:pk>/answer/"): POST_ONLY,
    ("POST", "console/escalations/<int:pk>/answer/"): (LOGIN, 403, 403, 403, 400, 404, 403),
    ("GET", "console/escalations/<int:pk>/share-contact/"): POST_ONLY,
    ("POST", "console/escalations/<int:pk>/share-contact/"): (LOGIN, 302, 302, 302, 403, 403, 403),
    ("GET", "console/escalations/<int:pk>/contact/"): (LOGIN, 403, 403, 403, 200, 404, 403),
    ("GET", "console/escalations/<int:pk>/cancel/"): POST_ONLY,
    ("POST", "console/escalations/<int:pk>/cancel/"): (LOGIN, 403, 302, 302, 403, 403, 403),
    ("GET", "console/escalations/<int:pk>/done/"): POST_ONLY,
    ("POST", "console/escalations/<int:pk>/done/"): (LOGIN, 302, 302, 302, 403, 403, 403),
    ("GET", "console/escalations/<int:pk>/qa-draft/"): POST_ONLY,
    ("POST", "console/escalations/<int:pk>/qa-draft/"): (LOGIN, 403, 403, 302, 302, 404, 403),
    # Reports
    ("GET", "reports/"): LEADERS,
    ("GET", "reports/first-contact-resolution/"): LEADERS,
    ("GET", "reports/volume/"): LEADERS,
    ("GET", "reports/callers/"): LEADERS,
    ("GET", "reports/targets/"): LEADERS,
    ("GET", "reports/tables/<slug:slug>.csv"): LEADERS,
    # JSON API
    ("GET", "api/v1/faq/search"): (400, 400, 400, 400, 400, 400, 400),
    ("GET", "api/v1/faq/suggest"): PUBLIC,
    ("GET", "api/v1/faq/articles/<int:pk>"): PUBLIC,
    # Public pages and site-wide
    ("GET", ""): PUBLIC,
    ("GET", "accessibility/"): PUBLIC,
    ("GET", "faq/<int:pk>/"): PUBLIC,
    ("GET", "faq/<int:pk>/feedback/"): POST_ONLY,
    ("POST", "faq/<int:pk>/feedback/"): (400, 400, 400, 400, 400, 400, 400),
    ("GET", "search/"): PUBLIC,
    ("GET", "category/<int:pk>/"): PUBLIC,
    ("GET", "contact/"): PUBLIC,
    ("GET", "contact/thanks/"): (400, 400, 400, 400, 400, 400, 400),
    # Sessions, two-factor, sign-in lockout and the knowledge report (merged later).
    ("GET", "accounts/session/"): (405, 405, 405, 405, 405, 405, 405),
    ("POST", "accounts/session/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/two-factor/"): ("login", 302, 302, 302, 302, 302, 302),
    ("GET", "accounts/two-factor/setup/"): ("login", 200, 200, 200, 200, 200, 200),
    ("GET", "admin/axes/accessattempt/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/axes/accessattempt/add/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessattempt/<path:object_id>/history/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/axes/accessattempt/<path:object_id>/delete/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/axes/accessattempt/<path:object_id>/change/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/axes/accessattempt/<path:object_id>/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        302,
    ),
    ("GET", "admin/axes/accesslog/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accesslog/add/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accesslog/<path:object_id>/history/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accesslog/<path:object_id>/delete/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accesslog/<path:object_id>/change/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accesslog/<path:object_id>/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        302,
    ),
    ("GET", "admin/axes/accessfailurelog/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessfailurelog/add/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessfailurelog/<path:object_id>/history/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessfailurelog/<path:object_id>/delete/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessfailurelog/<path:object_id>/change/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        403,
    ),
    ("GET", "admin/axes/accessfailurelog/<path:object_id>/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        302,
    ),
    ("GET", "admin/otp_totp/totpdevice/<int:pk>/config/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/<int:pk>/qrcode/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/add/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/<path:object_id>/history/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/<path:object_id>/delete/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/<path:object_id>/change/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "admin/otp_totp/totpdevice/<path:object_id>/"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        302,
    ),
    ("GET", "admin/^(?P<app_label>accounts|auth|knowledgebase|axes|otp_totp)/$"): (
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        "admin login",
        200,
    ),
    ("GET", "reports/knowledge/"): ("login", 403, 200, 200, 403, 403, 403),
    ("GET", "reports/knowledge/<slug:table>.csv"): ("login", 403, 200, 200, 403, 403, 403),
    ("GET", "open-data/"): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "open-data/inquiries.csv"): (200, 200, 200, 200, 200, 200, 200),
}


def tiff_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("L", (16, 16), 255).save(out, "TIFF")
    return out.getvalue()


@pytest.fixture
def world(department, other_department, operator, leader, supervisor, department_editor, administrator):
    """One of everything a URL can name: an e-mailed inquiry the operator took, with its
    contact, a TIFF page, a reply and an escalation to department A that shares the contact."""
    editor_b = UserFactory(username="editor_b", role=Role.DEPARTMENT_EDITOR, department=other_department)
    category = CategoryFactory()
    article = kb_services.save_article(
        article=ArticleFactory.build(department=department, category=category, status=Status.PUBLISHED),
        user=supervisor,
    )
    email = ingest_email(raw=message(body="粗大ごみの出し方を教えてください。")).email
    inquiry = email.inquiry
    inquiry.operator = inquiry.assigned_to = operator
    inquiry.status = InquiryStatus.WAITING
    inquiry.save()
    attachment = add_attachment(inquiry=inquiry, name="fax.tif", data=tiff_bytes(), uploaded_by=operator)
    reply = Reply.objects.create(
        inquiry=inquiry, channel=Reply.Channel.LETTER, to="札幌市", body="回答です", sent_by=operator
    )
    escalation = Escalation.objects.create(
        inquiry=inquiry,
        department=department,
        reason="担当課の判断が必要",
        reply_by=timezone.localdate() + timedelta(days=7),
        created_by=leader,
        contact_shared_at=timezone.now(),
        contact_shared_by=leader,
    )
    letter = InquiryFactory(channel=Channel.LETTER, operator=operator, status=InquiryStatus.OPEN, outcome="")
    InboxMessage.objects.create(
        reference="ABCD-EFGH-JK",
        form_token="7c9e6679-7425-40de-944b-e07fc1f90ae7",
        question="質問",
        language="ja",
        reply_by="none",
    )
    objects = {
        "inquiry": inquiry,
        "letter": letter,
        "contact": CallerContact.objects.get(inquiry=inquiry),
        "email": email,
        "attachment": attachment,
        "reply": reply,
        "escalation": escalation,
        "article": article,
        "category": category,
        "flag": Flag.objects.create(article=article, reason="古い"),
        "synonym": Synonym.objects.create(term="転居", synonyms="引っ越し"),
        "notice": SiteNotice.objects.create(title="お知らせ"),
        "survey": SurveyPeriod.objects.create(
            name="調査", first_day=timezone.localdate(), last_day=timezone.localdate() + timedelta(days=6)
        ),
        "searchlog": SearchLog.objects.create(query="ごみ", language="ja", channel="public", result_count=1),
        "auditevent": AuditEvent.objects.first(),
        "department": department,
        "accessattempt": AccessAttempt.objects.create(
            username="operator", ip_address="192.0.2.1", user_agent="test", failures_since_start=1
        ),
        "accesslog": AccessLog.objects.create(username="operator", ip_address="192.0.2.1", user_agent="test"),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="operator", ip_address="192.0.2.1", user_agent="test", locked_out=False
        ),
        # A colleague's token (the personas sign in with a password only).
        "totpdevice": TOTPDevice.objects.create(
            user=UserFactory(username="token_holder"), name="hardware token", confirmed=True
        ),
    }
    people = {
        "anonymous": None,
        "operator": operator,
        "leader": leader,
        "supervisor": supervisor,
        "editor_a": department_editor,
        "editor_b": editor_b,
        "administrator": administrator,
    }
    return objects, people


# ---------------------------------------------------------------------------------------------
# Walking the resolver and filling parameters


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes(patterns: list | None = None) -> list[str]:
    """Every route of the URL configuration, as written (`console/inquiries/<int:pk>/`), the
    public ones in the default language (the locale prefix is the active language's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return list(_walk(get_resolver().url_patterns if patterns is None else patterns))


def localized_routes() -> set[str]:
    """The routes under i18n_patterns: each also answers under /en/, /zh-hans/ and /ko/."""
    found = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            found.update(routes(entry.url_patterns))
    return found


# Which row a `pk` names, by the route's start (first match wins).
PK_BY_PREFIX = [
    ("admin/otp_totp/totpdevice/", "totpdevice"),
    ("console/inquiries/<int:pk>/paper-reply/", "letter"),
    ("console/inquiries/<int:pk>/pages/", "letter"),
    ("console/inquiries/", "inquiry"),
    ("console/escalations/", "escalation"),
    ("console/surveys/", "survey"),
    ("console/", "inquiry"),
    ("kb/flags/", "flag"),
    ("kb/synonyms/", "synonym"),
    ("kb/notices/", "notice"),
    ("kb/", "article"),
    ("faq/", "article"),
    ("category/", "category"),
    ("api/v1/faq/articles/", "article"),
]
OTHER_PARAMETERS = {"reply": "reply", "email_pk": "email", "attachment_pk": "attachment"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _admin_object(route: str, objects: dict) -> str:
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    row = objects.get(model_name) or model._default_manager.order_by("pk").first()
    return str(row.pk)


def url_for(route: str, objects: dict) -> str:
    """The route with its parameters filled by the world's rows."""
    if route.startswith("admin/^"):  # the admin's app index, a regular expression
        return "/admin/accounts/"
    if route.startswith("admin/(?P<url>"):
        return "/admin/no-such-page/"

    def fill(match: re.Match) -> str:
        name = match["name"]
        if name == "pk":
            kind = next(kind for start, kind in PK_BY_PREFIX if route.startswith(start))
            return str(objects[kind].pk)
        if name in OTHER_PARAMETERS:
            return str(objects[OTHER_PARAMETERS[name]].pk)
        if name == "slug":
            return "fcr-month"
        if name == "table":
            return "most-used"
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(objects["inquiry"]).pk)
        if name == "object_id":
            return (
                str(objects["inquiry"].pk) if route.startswith("admin/r/") else _admin_object(route, objects)
            )
        if name == "id":
            return str(objects["department"].pk if "department" in route else objects["inquiry"].operator_id)
        raise AssertionError(f"No value for <{name}> in {route}: add one to url_for.")

    return "/" + PARAMETER.sub(fill, route)


def outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
    return response.status_code


def signed_in(people: dict) -> dict[str, Client]:
    return {persona: Client() if user is None else client_for(user) for persona, user in people.items()}


def observe(method: str, url: str, clients: dict[str, Client]) -> tuple:
    results = []
    for persona in PERSONAS:
        with transaction.atomic():
            # Sent from a page of this site, as a browser says (the public forms check it).
            response = getattr(clients[persona], method.lower())(url, HTTP_ORIGIN=THIS_SITE)
            transaction.set_rollback(True)
        results.append(outcome(response))
    return tuple(results)


def test_every_url_answers_each_persona_as_the_access_table_says(world):
    objects, people = world
    clients = signed_in(people)
    seen: set[tuple[str, str]] = set()
    wrong, missing = [], []
    localized = localized_routes()
    for route in routes():
        url = url_for(route, objects)
        refused_get = False
        for method in ("GET", "POST"):
            key = (method, route)
            if method == "POST" and not refused_get:
                continue
            seen.add(key)
            got = observe(method, url, clients)
            refused_get = 405 in got
            if method == "POST":  # it may have signed them out (the session is not in the savepoint)
                clients = signed_in(people)
            if key not in ACCESS:
                missing.append(f"    {key!r}: {got!r},")
                continue
            if got != ACCESS[key]:
                wrong.append(f"{method} {url}: expected {ACCESS[key]}, got {got}")
            if route in localized and method == "GET":
                english = observe(method, "/en" + url, clients)
                if english != ACCESS[key]:
                    wrong.append(f"{method} /en{url}: expected {ACCESS[key]}, got {english}")
    stale = [f"{key!r}" for key in ACCESS if key not in seen]
    if os.environ.get("PRINT_URL_ACCESS"):
        print("\n".join(missing))
    assert not missing, "Routes missing from ACCESS (check, then add them):\n" + "\n".join(missing)
    assert not wrong, "\n".join(wrong)
    assert not stale, "Rows of ACCESS for routes that no longer exist:\n" + "\n".join(stale)


def test_the_walk_reaches_the_public_pages_the_admin_and_every_app():
    walked = set(routes())
    for route in (
        "",
        "faq/<int:pk>/",
        "contact/",
        "admin/",
        "kb/",
        "console/",
        "reports/",
        "api/v1/faq/search",
    ):
        assert route in walked
