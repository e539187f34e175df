"""Translated labels of the audit log's actions and states."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

# Each app owns the actions and states it records, as plain strings, and registers their
# translated labels here when it is ready (AppConfig.ready), so accounts imports no app.
_ACTION_LABELS: dict[str, str | Promise] = {}
_STATE_LABELS: dict[str, str | Promise] = {}


def register_labels(
    *, actions: Mapping[str, str | Promise], states: Mapping[str, str | Promise] | None = None
) -> None:
    _ACTION_LABELS.update(actions)
    _STATE_LABELS.update(states or {})


def action_label(action: str) -> str:
    return str(_ACTION_LABELS.get(action, action))


def state_label(state: str) -> str:
    return str(_STATE_LABELS.get(state, state))


def action_choices() -> list[tuple[str, str]]:
    return sorted(((action, str(label)) for action, label in _ACTION_LABELS.items()), key=lambda c: c[1])
