"""Every CSV download is audited: who downloaded what, with which filters or days."""

import pytest
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.models import AuditEvent
from knowledgebase import audit as kb_audit
from reports import audit

pytestmark = pytest.mark.django_db


def test_downloading_a_report_table_or_the_qas_is_audited(leader, supervisor):
    client_for(leader).get(reverse("reports:csv", args=["fcr-month"]), {"fy": "2026"})
    client_for(supervisor).get(reverse("kb:export"), {"status": "published"})

    report = AuditEvent.objects.get(action=audit.TABLE_EXPORTED)
    assert report.actor == leader and report.note.startswith("fcr-month 2026-04-01..")
    qas = AuditEvent.objects.get(action=kb_audit.EXPORTED)
    assert qas.actor == supervisor and qas.note == "status=published"
