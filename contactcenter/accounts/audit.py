"""Recording audit events: called by the services that change state, inside their transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from contactcenter.accounts.models import AuditEvent, User


def record_event(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def events_for(target: models.Model):
    """The audit trail of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")
