"""E-mail to departments about escalations: once when one arrives, once when it falls due,
never twice (also when two runs overlap), retried when sending failed, no personal data."""

import threading
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from inquiries.models import Escalation, InquiryStatus
from inquiries.services import escalation_mail
from inquiries.services import escalations as services
from inquiries.tests.concurrency import on_postgresql, roles  # noqa: F401
from inquiries.tests.factories import CallerContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PUBLIC_BASE_URL = "https://callcenter.city.example.jp"


@pytest.fixture
def escalation(operator, department):
    department.email = "gomi@city.example.jp"
    department.save()
    contact = CallerContactFactory(inquiry__operator=operator, inquiry__outcome="", inquiry__status="open")
    return services.escalate_inquiry(
        inquiry=contact.inquiry, department=department, reason="収集日の変更について判断が必要", user=operator
    )


def run() -> str:
    out = StringIO()
    call_command("notify_escalations", stdout=out)
    return out.getvalue()


def test_the_department_is_mailed_once_when_an_escalation_arrives(escalation):
    assert "sent 1" in run()
    message = mail.outbox[0]
    assert message.to == ["gomi@city.example.jp"]
    assert escalation.inquiry.reference in message.subject
    assert "収集日の変更について判断が必要" in message.body
    assert f"https://callcenter.city.example.jp/console/escalations/{escalation.pk}/" in message.body
    assert escalation.reply_by.isoformat() in message.body
    run()
    assert len(mail.outbox) == 1


def test_the_mail_carries_no_personal_data(escalation):
    run()
    body = mail.outbox[0].subject + mail.outbox[0].body
    for personal in (
        "札幌 花子",
        "090-1111-2222",
        "hanako@example.jp",
        "札幌市中央区",
        escalation.inquiry.summary,
    ):
        assert personal not in body


def test_once_more_when_it_falls_due_and_never_again(escalation):
    run()
    Escalation.objects.filter(pk=escalation.pk).update(reply_by=date(2020, 1, 6))
    run()
    assert len(mail.outbox) == 2 and "2020-01-06" in mail.outbox[1].subject
    run()
    assert len(mail.outbox) == 2


def test_an_answered_escalation_is_not_reported_overdue(escalation, department_editor):
    run()
    services.answer_escalation(escalation=escalation, user=department_editor, reply="回答", action="direct")
    Escalation.objects.filter(pk=escalation.pk).update(reply_by=date(2020, 1, 6))
    run()
    assert len(mail.outbox) == 1


def test_without_a_department_address_its_editors_are_mailed(escalation, department, other_department):
    department.email = ""
    department.save()
    UserFactory(username="e1", role=Role.DEPARTMENT_EDITOR, department=department, email="e1@city.example.jp")
    UserFactory(username="e2", role=Role.DEPARTMENT_EDITOR, department=department, email="")
    UserFactory(
        username="e3", role=Role.DEPARTMENT_EDITOR, department=other_department, email="e3@city.example.jp"
    )
    UserFactory(username="op", role=Role.OPERATOR, department=department, email="op@city.example.jp")
    run()
    assert mail.outbox[0].to == ["e1@city.example.jp"]


def test_a_failed_send_is_logged_and_retried_on_the_next_run(escalation, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(escalation_mail, "send_mail", broken)
    assert "failed 1" in run()
    assert Escalation.objects.get().arrival_notified_at is None
    assert "retried" in caplog.text
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1
    assert Escalation.objects.get().arrival_notified_at is not None


def test_a_department_without_any_address_is_retried_until_it_has_one(escalation, department):
    department.email = ""
    department.save()
    assert "failed 1" in run()
    assert not mail.outbox
    department.email = "gomi@city.example.jp"
    department.save()
    run()
    assert len(mail.outbox) == 1


def test_a_row_another_run_claimed_is_not_sent_again(escalation):
    # What the conditional claim sees when another run got there first.
    Escalation.objects.filter(pk=escalation.pk).update(arrival_notified_at=escalation.created_at)
    run()
    assert not mail.outbox


@on_postgresql
@pytest.mark.usefixtures("roles")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_notice_once(operator, department):
    department.email = "gomi@city.example.jp"
    department.save()
    for number in range(20):
        contact = CallerContactFactory(
            inquiry__operator=operator, inquiry__outcome="", inquiry__status=InquiryStatus.OPEN
        )
        services.escalate_inquiry(
            inquiry=contact.inquiry, department=department, reason=f"理由{number}", user=operator
        )
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            escalation_mail.notify_escalations()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(mail.outbox) == 20
    assert len({message.subject for message in mail.outbox}) == 20
