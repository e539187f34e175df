"""The audit log in the admin: administrators filter it and download it as CSV (and that
download is audited); nobody, not even a superuser, adds, changes or deletes a row."""

import csv
import io
from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from contactcenter.accounts.audit import record_event
from contactcenter.accounts.audit_log import EXPORTED
from contactcenter.accounts.models import AuditEvent, Department
from contactcenter.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_auditevent_changelist"
EXPORT = "admin:accounts_auditevent_export"
TOKYO = timezone.get_fixed_timezone(9 * 60)
# Actions are plain strings owned by the apps that record them (accounts imports none of them).
PUBLISH, WITHDRAW = "publish", "withdraw"


@pytest.fixture
def events(operator, supervisor, department):
    """Three events on three days, by two people, about two kinds of object."""

    def at(day: int, **fields) -> AuditEvent:
        event = record_event(**fields)
        AuditEvent.objects.filter(pk=event.pk).update(created_at=datetime(2026, 4, day, 10, tzinfo=TOKYO))
        return AuditEvent.objects.get(pk=event.pk)

    return {
        "published": at(1, actor=supervisor, action=PUBLISH, target=department, note="公開"),
        "withdrawn": at(2, actor=supervisor, action=WITHDRAW, target=department),
        "viewed": at(3, actor=operator, action="contact_viewed", target=operator),
    }


def shown(response) -> set[str]:
    """The objects listed (their `what`), from the admin's result list."""
    return {str(event.pk) for event in response.context["cl"].result_list}


def test_administrators_filter_the_log_by_action_actor_day_and_type(administrator, events, supervisor):
    admin = client_for(administrator)
    url = reverse(CHANGELIST)
    pk = {name: str(event.pk) for name, event in events.items()}
    department_type = ContentType.objects.get_for_model(Department).pk

    assert shown(admin.get(url, {"action": PUBLISH})) == {pk["published"]}
    assert shown(admin.get(url, {"actor__id__exact": supervisor.pk})) == {pk["published"], pk["withdrawn"]}
    assert shown(admin.get(url, {"content_type__id__exact": department_type})) == {
        pk["published"],
        pk["withdrawn"],
    }
    days = admin.get(url, {"created_from": "2026-04-02", "created_to": "2026-04-03"})
    assert shown(days) == {pk["withdrawn"], pk["viewed"]}
    assert shown(admin.get(url, {"created_to": "2026-04-01", "action": PUBLISH})) == {pk["published"]}


def test_a_bad_date_is_explained_and_the_list_still_shows(administrator, events):
    admin = client_for(administrator)  # its sign-in is an event too
    everything = {str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)}
    response = admin.get(reverse(CHANGELIST), {"created_from": "2026-13-45"})
    assert response.status_code == 200
    assert shown(response) == everything  # not filtered by the bad date
    assert 'id="id_created_from_error"' in response.content.decode()
    backwards = admin.get(reverse(CHANGELIST), {"created_from": "2026-04-03", "created_to": "2026-04-01"})
    assert backwards.status_code == 200 and shown(backwards) == everything


def test_the_filtered_log_downloads_as_csv_and_the_download_is_audited(administrator, events, supervisor):
    response = client_for(administrator).get(reverse(EXPORT), {"actor__id__exact": supervisor.pk})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # the header and the supervisor's two events
    assert {row[3] for row in rows[1:]} == {PUBLISH, WITHDRAW}
    assert rows[1][0].startswith("2026-04-0")
    export = AuditEvent.objects.get(action=EXPORTED)
    assert export.actor == administrator and f"actor__id__exact={supervisor.pk}" in export.note


def test_the_changelist_links_to_the_download_with_its_filters(administrator, events):
    page = client_for(administrator).get(reverse(CHANGELIST), {"action": PUBLISH}).content.decode()
    assert f'href="{reverse(EXPORT)}?action={PUBLISH}"' in page


def test_only_administrators_download_the_log(supervisor, leader, events):
    for person in (supervisor, leader):
        response = client_for(person).get(reverse(EXPORT))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_nobody_adds_changes_or_deletes_an_event_not_even_a_superuser(administrator, events):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    event = events["published"]
    for person in (administrator, superuser):
        admin = client_for(person)
        assert admin.get(reverse("admin:accounts_auditevent_add")).status_code == 403
        assert (
            admin.post(
                reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        changed = admin.post(reverse("admin:accounts_auditevent_change", args=[event.pk]), {"note": "消した"})
        assert changed.status_code == 403
        bulk = admin.post(
            reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
        )
        assert bulk.status_code in (200, 302)
        page = admin.get(reverse(CHANGELIST)).content.decode()
        assert "delete_selected" not in page
    event.refresh_from_db()
    assert event.note == "公開" and AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_cannot_be_changed_in_code_either(events):
    event = events["published"]
    event.note = "書き換え"
    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()
