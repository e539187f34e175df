"""The audit log as administrators read it: filtered in the admin and downloaded as CSV.

The download is itself an audit event: the log names staff and the ids of citizens' rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import AuditEvent, User

EXPORTED = "audit_log_exported"

ACTION_LABELS = {EXPORTED: gettext_lazy("Audit log downloaded as CSV")}


def _start_of(day: date) -> datetime:
    """The centre's day `day` begins (Asia/Tokyo)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class DateRangeForm(forms.Form):
    """The admin's date filter: from and to, both days included; either may be left out."""

    created_from = forms.DateField(
        label=gettext_lazy("First day"), required=False, widget=forms.DateInput({"type": "date"})
    )
    created_to = forms.DateField(
        label=gettext_lazy("Last day"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("created_from"), data.get("created_to")
        if first and last and last < first:
            raise forms.ValidationError(_("The last day cannot come before the first day."))
        return data

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events in the range; an invalid range filters nothing (its message is shown)."""
        if not self.is_valid():
            return events
        if first := self.cleaned_data.get("created_from"):
            events = events.filter(created_at__gte=_start_of(first))
        if last := self.cleaned_data.get("created_to"):
            events = events.filter(created_at__lt=_start_of(last + timedelta(days=1)))
        return events


def csv_header() -> list[str]:
    """The admin's column names (the model's), plus the codes a spreadsheet can filter on."""
    label = {field.name: str(field.verbose_name) for field in AuditEvent._meta.fields}
    return [
        label["created_at"],
        _("User name"),
        label["actor"],
        _("Action code"),
        label["action"],
        label["content_type"],
        label["object_id"],
        label["object_repr"],
        label["from_state"],
        label["to_state"],
        label["note"],
    ]


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[object]]:
    """One row per event, read in chunks: a log of any length streams in flat memory."""
    for event in events.select_related("actor", "content_type").iterator(chunk_size=500):
        yield [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.username if event.actor else "",
            str(event.actor) if event.actor else "",
            event.action,
            event.action_label(),
            event.content_type.app_labeled_name,
            event.object_id,
            event.object_repr,
            event.from_state_label(),
            event.to_state_label(),
            event.note,
        ]


@transaction.atomic
def record_audit_log_export(*, user: User, filters: str) -> None:
    """Audit a download of the audit log, with its filters; filed under the person."""
    record_event(actor=user, action=EXPORTED, target=user, note=filters)
