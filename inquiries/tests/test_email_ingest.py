"""Citizens' e-mails in: `manage.py ingest_email` and the service behind it."""

import io
import os
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from contactcenter.accounts.models import AuditEvent
from inquiries.models import (
    Attachment,
    CallerContact,
    Channel,
    InboundEmail,
    Inquiry,
    InquiryStatus,
    Outcome,
    Reply,
    ReplyMethod,
)
from inquiries.services.email import Ingested, ingest_email
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.mailbuilder import as_iso2022jp, encoded_word, message, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

TEXT = "粗大ごみの申し込み方法を教えてください。①番の㈱髙橋商店の前です。"


def take_in(raw: bytes):
    return ingest_email(raw=raw)


def test_a_new_message_becomes_an_open_email_inquiry_without_operator_or_summary():
    result = take_in(message())
    inquiry = result.inquiry
    assert result.outcome == Ingested.TAKEN_IN
    assert inquiry.channel == Channel.EMAIL
    assert inquiry.status == InquiryStatus.OPEN and inquiry.outcome == ""
    assert inquiry.operator is None and inquiry.assigned_to is None
    assert inquiry.summary == "" and inquiry.answer == ""
    assert inquiry.language == "ja"
    assert list(Inquiry.objects.unassigned_queue()) == [inquiry]


def test_the_sender_subject_text_date_and_raw_bytes_are_kept_with_the_email():
    raw = message()
    email = take_in(raw).email
    assert email.message_id == "<m1@example.jp>"
    assert email.sender == "hanako@example.jp" and email.sender_name == "山田 花子"
    assert email.subject == "粗大ごみについて"
    assert email.body.strip() == "粗大ごみの申し込み方法を教えてください。"
    assert email.sent_at.isoformat() == "2026-11-30T09:15:00+09:00"
    assert email.raw.read() == raw
    assert email.problem == ""


def test_the_sender_becomes_the_contact_to_reply_to():
    inquiry = take_in(message()).inquiry
    contact = CallerContact.objects.get(inquiry=inquiry)
    assert (contact.email, contact.name, contact.reply_by) == (
        "hanako@example.jp",
        "山田 花子",
        ReplyMethod.EMAIL,
    )


def test_the_same_message_twice_is_taken_in_once():
    take_in(message())
    assert take_in(message()).outcome == Ingested.DUPLICATE
    assert InboundEmail.objects.count() == 1 and Inquiry.objects.count() == 1


def test_a_message_without_message_id_gets_one_from_its_bytes_and_is_still_recognised():
    raw = message(message_id=None)
    email = take_in(raw).email
    assert email.message_id.startswith("<sha256-") and email.message_id.endswith("@missing>")
    assert take_in(raw).outcome == Ingested.DUPLICATE


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; type=vacation"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "yes"},
    ],
)
def test_automatic_replies_are_not_inquiries(headers):
    assert take_in(message(headers=headers)).outcome == Ingested.AUTOMATIC
    assert not Inquiry.objects.exists() and not InboundEmail.objects.exists()


def test_auto_submitted_no_is_a_person_writing():
    assert take_in(message(headers={"Auto-Submitted": "no"})).outcome == Ingested.TAKEN_IN


def test_bounces_are_not_inquiries():
    bounce = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.jp>\r\nSubject: Undelivered\r\n"
        b"Message-ID: <b1@mx>\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n"
    )
    assert take_in(bounce).outcome == Ingested.AUTOMATIC
    daemon = message(sender="MAILER-DAEMON@mx.example.jp", message_id="<b2@mx>")
    assert take_in(daemon).outcome == Ingested.AUTOMATIC
    assert not Inquiry.objects.exists()


def test_a_reply_to_the_citizens_own_message_joins_its_inquiry():
    first = take_in(message()).inquiry
    result = take_in(message(message_id="<m2@example.jp>", headers={"In-Reply-To": "<m1@example.jp>"}))
    assert result.outcome == Ingested.FOLLOW_UP
    assert result.inquiry == first
    assert Inquiry.objects.count() == 1 and first.emails.count() == 2


def test_an_answer_to_our_reply_joins_the_inquiry_through_references(operator):
    inquiry = take_in(message()).inquiry
    Reply.objects.create(
        inquiry=inquiry, channel=Reply.Channel.EMAIL, body="回答", message_id="<ours@city>", sent_by=operator
    )
    result = take_in(message(message_id="<m3@example.jp>", headers={"References": "<other@x> <ours@city>"}))
    assert result.inquiry == inquiry


def test_the_reference_in_the_subject_joins_the_inquiry():
    inquiry = InquiryFactory(channel=Channel.EMAIL, outcome="", status=InquiryStatus.OPEN)
    result = take_in(message(subject=f"Re: お問い合わせ [{inquiry.reference.lower()}]"))
    assert result.outcome == Ingested.FOLLOW_UP and result.inquiry == inquiry


def test_a_follow_up_reopens_a_closed_inquiry_for_the_same_people(operator):
    inquiry = take_in(message()).inquiry
    Inquiry.objects.filter(pk=inquiry.pk).update(
        status=InquiryStatus.CLOSED, outcome=Outcome.RESOLVED, operator=operator, summary="粗大ごみ"
    )
    take_in(message(message_id="<m2@example.jp>", headers={"In-Reply-To": "<m1@example.jp>"}))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.outcome == ""
    assert inquiry.operator == operator
    latest = inquiry.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "follow-up e-mail" and latest.status == InquiryStatus.OPEN


def test_an_unknown_reference_or_message_opens_a_new_inquiry():
    take_in(message(subject="件名 [ABCD-EFGH-JK]", headers={"In-Reply-To": "<nobody@x>"}))
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    ("charset", "label", "encoding"),
    [
        ("iso-2022-jp", None, "7bit"),
        ("cp932", "shift_jis", "8bit"),
        ("cp932", "Shift_JIS", "base64"),
        ("euc_jp", "euc-jp", "8bit"),
        ("utf-8", None, "quoted-printable"),
        ("utf-8", None, "base64"),
        # Wrong labels: a Windows mailer's Shift_JIS or UTF-8 called ISO-2022-JP, 8-bit "ASCII".
        ("cp932", "iso-2022-jp", "8bit"),
        ("utf-8", "iso-2022-jp", "8bit"),
        ("utf-8", "us-ascii", "8bit"),
        ("cp932", "us-ascii", "base64"),
        ("utf-8", "x-unknown-charset", "8bit"),
        ("cp932", "utf-8", "quoted-printable"),
    ],
)
def test_japanese_text_is_read_right_whatever_the_charset_and_its_label(charset, label, encoding):
    text = TEXT if charset not in ("euc_jp",) else "粗大ごみの申し込み方法を教えてください。"
    email = take_in(message(body=text, charset=charset, label=label, encoding=encoding)).email
    assert email.body.strip() == text
    assert email.problem == ""


def test_headers_in_every_japanese_encoding_are_read():
    subject = f"{encoded_word('粗大ごみ①', 'ISO-2022-JP')} {encoded_word('㈱髙橋', 'Shift_JIS')}"
    email = take_in(message(subject=subject)).email
    assert email.subject == "粗大ごみ①㈱髙橋"


def test_an_encoded_word_split_in_the_middle_of_a_character_is_read_whole():
    data = "日本語の件名です".encode()
    import base64

    first, second = (base64.b64encode(data[:4]).decode(), base64.b64encode(data[4:]).decode())
    email = take_in(message(subject=f"=?UTF-8?B?{first}?=\r\n =?UTF-8?B?{second}?=")).email
    assert email.subject == "日本語の件名です"


def test_raw_iso_2022_jp_and_8_bit_headers_are_read():
    raw = message(subject="PLACEHOLDER").replace(b"PLACEHOLDER", as_iso2022jp("件名です"))
    assert take_in(raw).email.subject == "件名です"
    raw = message(subject="PLACEHOLDER", message_id="<m2@x>").replace(b"PLACEHOLDER", "件名".encode("cp932"))
    assert take_in(raw).email.subject == "件名"


def test_text_no_charset_reads_cleanly_is_kept_as_well_as_possible_and_the_problem_said():
    email = take_in(message(body=b"\x80\xff\xfe\x00\x01abc" * 3, charset="utf-8")).email
    assert "abc" in email.body
    assert "文字" in email.problem  # in the centre's language (Japanese)
    assert email.raw.size > 0


def test_html_only_mail_is_read_as_text_with_its_line_breaks():
    html = "<html><head><style>p{}</style></head><body><p>粗大ごみ&amp;家電</p><p>教えて<br>ください</p></body></html>"
    email = take_in(message(body=html, content_type="text/html")).email
    assert email.body == "粗大ごみ&家電\n\n教えて\nください"


def test_pdf_and_png_attachments_are_kept_with_the_email():
    email = take_in(
        message(
            attachments=[
                ("申込書.pdf", "application/pdf", pdf_bytes()),
                ("photo.png", "image/png", png_bytes()),
            ]
        )
    ).email
    assert [(a.name, a.content_type) for a in email.attachments.all()] == [
        ("申込書.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]
    assert all(a.inquiry_id == email.inquiry_id for a in email.attachments.all())


def test_an_executable_renamed_pdf_is_not_kept_and_the_problem_is_said():
    raw = message(attachments=[("invoice.pdf", "application/pdf", b"MZ\x90\x00" + b"\x00" * 200)])
    email = take_in(raw).email
    assert not Attachment.objects.exists()
    assert "invoice.pdf" in email.problem
    assert email.raw.read() == raw


def test_a_30_mb_attachment_is_not_kept_but_the_message_is(settings):
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024) + b"\n%%EOF"
    raw = message(attachments=[("scan.pdf", "application/pdf", big)])
    email = take_in(raw).email
    assert not Attachment.objects.exists()
    assert "scan.pdf" in email.problem
    assert email.raw.size == len(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x89PNG" * 50,
        b"Subject: no from, no id, no body\r\n\r\n",
        b'Content-Type: multipart/mixed; boundary="missing"\r\nSubject: x\r\n\r\nno boundary here\r\n',
        b"Content-Type: multipart/mixed\r\nSubject: x\r\n\r\n--\r\nbroken\r\n",
        b"Subject: " + b"x" * 200_000 + b"\r\nX-Long: " + b"=?utf-8?q?" * 5000 + b"\r\n\r\nbody",
        b"From: <<<@@@>>>\r\nDate: not a date\r\nMessage-ID: " + b"<" + b"a" * 400 + b">\r\n\r\nbody",
        b"Content-Type: text/plain; charset=\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64",
        b"Subject: =?utf-8?B?broken?= =?unknown?Q?x?=\r\nFrom: =?utf-8?q?=E5=B1?= <a@b.jp>\r\n\r\nx",
        b"Message-ID: <a\x00b\xff@x>\r\nSubject: \x00nul =?utf-8?q?=00?=\r\nFrom: a\x00@b.jp\r\n\r\nbody\x00\r",
    ],
    ids=[
        "empty",
        "binary-garbage",
        "no-from-no-id",
        "missing-boundary",
        "no-boundary-parameter",
        "huge-headers",
        "bad-address-date-id",
        "bad-base64",
        "broken-encoded-words",
        "nul-and-8-bit-bytes-in-headers",
    ],
)
def test_malformed_messages_never_crash_and_are_kept_as_received(raw):
    result = take_in(raw)
    assert result.outcome == Ingested.TAKEN_IN
    assert result.email.raw.read() == raw
    assert take_in(raw).outcome == Ingested.DUPLICATE


def test_the_problem_with_a_broken_structure_is_said():
    raw = b'Content-Type: multipart/mixed; boundary="missing"\r\nSubject: x\r\n\r\nno boundary here\r\n'
    email = take_in(raw).email
    assert "no boundary here" in email.body


def test_an_english_message_is_marked_english():
    assert (
        take_in(message(body="How do I book bulky waste pickup?", subject="Bulky waste")).inquiry.language
        == "en"
    )


def test_nothing_a_citizen_wrote_reaches_the_audit_log():
    take_in(message())
    for event in AuditEvent.objects.all():
        assert "hanako" not in event.object_repr + event.note


# --- the command ---


def write_maildir(tmp_path, messages: dict[str, bytes]):
    for sub in ("new", "cur", "tmp"):
        (tmp_path / sub).mkdir(exist_ok=True)
    for name, raw in messages.items():
        (tmp_path / "new" / name).write_bytes(raw)
    return tmp_path


def test_the_command_takes_every_new_maildir_message_and_marks_it_seen(tmp_path):
    folder = write_maildir(
        tmp_path,
        {
            "1.host": message(),
            "2.host": message(message_id="<m2@x>", headers={"In-Reply-To": "<m1@example.jp>"}),
            "3.host": message(message_id="<m3@x>", headers={"Auto-Submitted": "auto-replied"}),
            "4.host": message(),
        },
    )
    out = io.StringIO()
    call_command("ingest_email", maildir=str(folder), stdout=out)
    assert out.getvalue().strip() == "1 taken in, 1 follow-ups, 1 duplicates, 1 automatic, 0 failed"
    assert os.listdir(folder / "new") == []
    assert sorted(os.listdir(folder / "cur")) == ["1.host:2,S", "2.host:2,S", "3.host:2,S", "4.host:2,S"]


def test_one_bad_message_never_stops_the_others_and_is_set_aside(tmp_path, monkeypatch):
    from inquiries.management.commands import ingest_email as command

    folder = write_maildir(
        tmp_path, {"1.host": message(), "2.host": b"BOOM", "3.host": message(message_id="<m3@x>")}
    )
    real = command.ingest_email

    def failing(*, raw):
        if raw == b"BOOM":
            raise RuntimeError("database gone")
        return real(raw=raw)

    monkeypatch.setattr(command, "ingest_email", failing)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("ingest_email", maildir=str(folder), stdout=out)
    assert raised.value.returncode == 1
    assert out.getvalue().strip() == "2 taken in, 0 follow-ups, 0 duplicates, 0 automatic, 1 failed"
    assert sorted(os.listdir(folder / "cur")) == ["1.host:2,S", "3.host:2,S"]
    assert os.listdir(folder / ".failed" / "new") == ["2.host"]


def test_the_command_reads_standard_input_and_files(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(message())))
    out = io.StringIO()
    call_command("ingest_email", "-", stdout=out)
    assert out.getvalue().startswith("1 taken in")
    path = tmp_path / "second.eml"
    path.write_bytes(message(message_id="<other@x>"))
    call_command("ingest_email", str(path), stdout=out)
    assert Inquiry.objects.count() == 2


def test_a_message_that_fails_from_a_pipe_asks_the_mail_server_to_try_again(monkeypatch):
    from inquiries.management.commands import ingest_email as command

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(message())))

    def failing(*, raw):
        raise RuntimeError("database gone")

    monkeypatch.setattr(command, "ingest_email", failing)
    with pytest.raises(CommandError) as raised:
        call_command("ingest_email", stdout=io.StringIO())
    assert raised.value.returncode == 75


def test_a_folder_that_is_not_a_maildir_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a Maildir"):
        call_command("ingest_email", maildir=str(tmp_path / "nothing"))


@pytest.mark.django_db(transaction=True)
def test_the_same_message_taken_in_by_two_processes_at_once_is_kept_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    raw = message()
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(take_in(raw).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [Ingested.DUPLICATE, Ingested.TAKEN_IN]
    assert InboundEmail.objects.count() == 1


def test_the_demo_emails_wait_in_the_queue_and_load_once():
    from inquiries.demo_mail import load_demo_emails

    assert load_demo_emails() == 4
    assert load_demo_emails() == 0
    queue = Inquiry.objects.unassigned_queue()
    assert queue.count() == 3 and queue.filter(language="en").count() == 1
    assert Attachment.objects.get().content_type == "image/jpeg"
