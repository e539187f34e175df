"""The staff side of the contact form: taking the inbox in, finding a reference, reading the message."""

import multiprocessing
import os
import re
import signal
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections

from conftest import client_for
from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import (
    CallerContact,
    Channel,
    InboxMessage,
    Inquiry,
    InquiryStatus,
    ReplyMethod,
)
from inquiries.services.inbox import ContactMessage, submit_contact_message, take_inbox
from inquiries.tests.factories import InquiryFactory

QUESTION = "家の前の街灯が切れています。修理をお願いできますか。"


def contact_message(**changes) -> InboxMessage:
    """A message as the public form stores it."""
    values = {
        "form_token": uuid.uuid4(),
        "question": QUESTION,
        "language": "ja",
        "reply_by": ReplyMethod.PHONE,
        "age_band": "60s",
        "gender": "female",
        "name": "佐藤一郎",
        "phone": "011-222-3333",
        "email": "ichiro@example.jp",
    }
    values.update(changes)
    submitted = submit_contact_message(message=ContactMessage(**values), visitor=str(uuid.uuid4()))
    return InboxMessage.objects.get(reference=submitted.reference)


@pytest.mark.django_db
class TestTakingTheInboxIn:
    def test_a_waiting_message_becomes_an_open_web_inquiry_with_its_reference(self):
        message = contact_message(language="ko", age_band="30s", gender="male")
        assert take_inbox() == 1
        inquiry = Inquiry.objects.get()
        assert inquiry.reference == message.reference
        assert inquiry.channel == Channel.WEB and inquiry.status == InquiryStatus.OPEN
        assert inquiry.received_at == message.submitted_at
        assert (inquiry.language, inquiry.age_band, inquiry.gender) == ("ko", "30s", "male")
        assert inquiry.operator is None and inquiry.assigned_to is None
        assert inquiry.summary == "" and inquiry.outcome == ""
        assert list(Inquiry.objects.unassigned_queue()) == [inquiry]

    def test_the_contact_moves_to_the_inquiry_and_is_blanked_in_the_inbox(self):
        message = contact_message(fax="011-222-4444", postal_address="札幌市中央区北1条西1丁目")
        take_inbox()
        contact = CallerContact.objects.get()
        assert (contact.name, contact.phone, contact.email, contact.fax, contact.postal_address) == (
            "佐藤一郎",
            "011-222-3333",
            "ichiro@example.jp",
            "011-222-4444",
            "札幌市中央区北1条西1丁目",
        )
        assert contact.reply_by == ReplyMethod.PHONE
        message.refresh_from_db()
        assert not any((message.name, message.email, message.phone, message.fax, message.postal_address))
        assert message.question == QUESTION  # what they wrote stays, read through the access helper
        assert message.inquiry == contact.inquiry and message.taken_at is not None

    def test_taking_in_twice_makes_no_second_inquiry(self):
        contact_message()
        assert take_inbox() == 1
        assert take_inbox() == 0
        assert Inquiry.objects.count() == 1 and not InboxMessage.objects.waiting().exists()

    def test_a_pass_takes_at_most_its_limit_oldest_first(self):
        first, second, third = (contact_message() for _ in range(3))
        assert take_inbox(limit=2) == 2
        assert list(InboxMessage.objects.waiting()) == [third]
        assert set(Inquiry.objects.values_list("reference", flat=True)) == {first.reference, second.reference}

    def test_an_interface_language_that_is_no_inquiry_language_is_other(self):
        contact_message(language="fr")
        take_inbox()
        assert Inquiry.objects.get().language == "other"

    def test_a_reference_another_inquiry_already_drew_does_not_stop_the_inbox(self, caplog):
        message = contact_message()
        InquiryFactory(reference=message.reference)
        assert take_inbox() == 1
        web = Inquiry.objects.get(channel=Channel.WEB)
        assert web.reference and web.reference != message.reference
        assert "reference is taken" in caplog.text

    def test_the_command_takes_the_inbox_in_once(self, capsys):
        contact_message()
        call_command("take_inbox")
        assert Inquiry.objects.count() == 1
        assert "Took in 1 message(s)." in capsys.readouterr().out

    def test_the_loop_keeps_going_until_told_to_stop(self):
        previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        contact_message()
        passes = []

        def between_passes(seconds):
            passes.append(seconds)
            if len(passes) == 1:
                contact_message()
            else:
                os.kill(os.getpid(), signal.SIGTERM)

        try:
            with (
                mock.patch("inquiries.management.commands.take_inbox.time.sleep", side_effect=between_passes),
                # It would close the test's connection, which holds the test's transaction.
                mock.patch("inquiries.management.commands.take_inbox.close_old_connections"),
            ):
                call_command("take_inbox", "--loop", "--interval", "0.01")
        finally:
            signal.signal(signal.SIGTERM, previous[0])
            signal.signal(signal.SIGINT, previous[1])
        assert Inquiry.objects.count() == 2 and len(passes) == 2


def _take_in_a_loop() -> None:
    connections.close_all()
    while take_inbox(limit=5):
        pass
    connections.close_all()


@pytest.mark.multiprocess
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database shared between processes: run with DATABASE_URL=postgres://…",
)
def test_two_loops_at_once_make_exactly_one_inquiry_of_each_message():
    for _ in range(120):
        contact_message()
    context = multiprocessing.get_context("fork")
    connections.close_all()  # children must open their own connections
    processes = [context.Process(target=_take_in_a_loop) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert all(process.exitcode == 0 for process in processes)
    assert Inquiry.objects.count() == 120 == CallerContact.objects.count()
    assert not InboxMessage.objects.waiting().exists()
    assert set(Inquiry.objects.values_list("reference", flat=True)) == set(
        InboxMessage.objects.values_list("reference", flat=True)
    )


# Finding a reference, persona by persona. `assigned`: the operator it was assigned to.
LOOKUP = [
    (None, 302, "login"),
    ("operator", 404, None),
    ("assigned", 302, "detail"),
    ("leader", 302, "detail"),
    ("supervisor", 302, "detail"),
    ("department_editor", 403, None),
    ("administrator", 403, None),
]


@pytest.fixture
def web_inquiry(operator, other_operator):
    message = contact_message()
    take_inbox()
    inquiry = Inquiry.objects.get()
    inquiry.assigned_to = other_operator
    inquiry.save()
    return message.reference, inquiry


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status", "goes_to"), LOOKUP)
def test_who_can_find_a_web_inquiry_by_its_reference(request, client, web_inquiry, persona, status, goes_to):
    reference, inquiry = web_inquiry
    if persona == "assigned":
        client = client_for(inquiry.assigned_to)
    elif persona:
        client = client_for(request.getfixturevalue(persona))
    typed = reference.lower().replace("-", " ")
    response = client.get("/console/inquiries/find/", {"reference": typed})
    assert response.status_code == status
    if goes_to == "login":
        assert response["Location"].startswith("/accounts/login/")
    elif goes_to == "detail":
        assert response["Location"] == f"/console/inquiries/{inquiry.pk}/"


@pytest.mark.django_db
def test_a_reference_nobody_has_and_one_you_may_not_see_get_the_same_answer(operator, web_inquiry):
    reference, _inquiry = web_inquiry
    client = client_for(operator)
    hidden = client.get("/console/inquiries/find/", {"reference": reference})
    missing = client.get("/console/inquiries/find/", {"reference": "ZZZZ-ZZZZ-ZZ"})
    assert hidden.status_code == missing.status_code == 404

    def shown(response, typed):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode().replace(typed, "X")
        )

    assert shown(hidden, reference) == shown(missing, "ZZZZ-ZZZZ-ZZ")


@pytest.mark.django_db
def test_a_reference_still_in_the_inbox_is_taken_in_and_opened_whatever_waits_before_it(leader):
    older = [contact_message() for _ in range(3)]
    message = contact_message()
    response = client_for(leader).get("/console/inquiries/find/", {"reference": message.reference})
    inquiry = Inquiry.objects.get(reference=message.reference)
    assert response.status_code == 302 and response["Location"] == f"/console/inquiries/{inquiry.pk}/"
    assert list(InboxMessage.objects.waiting()) == older  # the loop takes those


@pytest.mark.django_db
def test_misread_letters_and_full_width_characters_still_find_it(leader):
    message = contact_message()
    typed = message.reference.replace("1", "I").replace("0", "O")
    typed = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in typed)  # full width
    response = client_for(leader).get("/console/inquiries/find/", {"reference": typed})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["12345", "x" * 41, "こんにちは"])
def test_something_that_is_no_reference_is_told_so_and_kept(leader, typed):
    response = client_for(leader).get("/console/inquiries/find/", {"reference": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_reference_error"' in html and f'value="{typed}"' in html


@pytest.mark.django_db
def test_the_find_form_is_on_the_inquiry_lists(operator, leader):
    assert 'action="/console/inquiries/find/"' in client_for(operator).get("/console/mine/").content.decode()
    assert (
        'action="/console/inquiries/find/"' in client_for(leader).get("/console/inquiries/").content.decode()
    )
    assert client_for(leader).get("/console/inquiries/find/").status_code == 200


@pytest.mark.django_db
def test_those_who_may_read_the_contact_see_what_the_citizen_wrote_and_it_is_audited(leader, web_inquiry):
    _reference, inquiry = web_inquiry
    html = client_for(leader).get(f"/console/inquiries/{inquiry.pk}/").content.decode()
    assert QUESTION in html
    event = AuditEvent.objects.get(action=audit.WEB_MESSAGE_VIEWED)
    assert event.actor == leader and QUESTION not in event.object_repr + event.note
    assigned = client_for(inquiry.assigned_to).get(f"/console/inquiries/{inquiry.pk}/")
    assert QUESTION in assigned.content.decode()


@pytest.mark.django_db
def test_others_never_see_what_the_citizen_wrote(operator, department_editor, administrator, web_inquiry):
    _reference, inquiry = web_inquiry
    for person in (operator, department_editor, administrator):
        response = client_for(person).get(f"/console/inquiries/{inquiry.pk}/")
        assert response.status_code in (403, 404)
        assert QUESTION not in response.content.decode()
    assert not AuditEvent.objects.filter(action=audit.WEB_MESSAGE_VIEWED).exists()


@pytest.mark.django_db
def test_a_phone_inquiry_shows_no_web_message_section(leader, inquiry):
    html = client_for(leader).get(f"/console/inquiries/{inquiry.pk}/").content.decode()
    assert 'id="web-message-title"' not in html
