"""Changes administrators make to staff accounts: each audited, and the person told by e-mail.

Roles and passwords decide what someone may see of citizens' data, so nobody changes their
own roles, and a password an administrator set is the person's only until their next sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from contactcenter.accounts.roles import role_name

ROLE_GRANTED = "role_granted"
ROLE_REMOVED = "role_removed"
PASSWORD_RESET = "password_reset"  # noqa: S105 (an audit action, not a password)

ACTION_LABELS = {
    ROLE_GRANTED: gettext_lazy("Role granted"),
    ROLE_REMOVED: gettext_lazy("Role removed"),
    PASSWORD_RESET: gettext_lazy("Password reset by an administrator"),
}


class OwnRolesError(Exception):
    """An administrator tried to change their own roles."""


def record_role_changes(*, actor: User, user: User, before: set[str], after: set[str]) -> None:
    """Audit each role (Group name) `user` gained or lost, and tell them by e-mail."""
    if before == after:
        return
    if actor.pk == user.pk:
        raise OwnRolesError(_("You cannot change your own roles. Ask another administrator."))
    granted, removed = sorted(after - before), sorted(before - after)
    with transaction.atomic():
        for name in granted:
            record_event(actor=actor, action=ROLE_GRANTED, target=user, to_state=name)
        for name in removed:
            record_event(actor=actor, action=ROLE_REMOVED, target=user, from_state=name)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Your roles in the contact centre system were changed by an administrator.")]
        lines += [_("Granted: %(role)s") % {"role": role_name(name)} for name in granted]
        lines += [_("Removed: %(role)s") % {"role": role_name(name)} for name in removed]
        lines.append(_("If you did not expect this, tell your supervisor."))
        _tell(user, subject=_("Your roles were changed"), lines=lines)


def reset_password(*, actor: User, user: User) -> None:
    """After an administrator set `user`'s password: audit it, make them change it at their
    next sign-in, and tell them (the e-mail never holds the password)."""
    user.must_change_password = actor.pk != user.pk
    user.save(update_fields=["must_change_password"])
    record_event(actor=actor, action=PASSWORD_RESET, target=user)
    with translation.override(settings.LANGUAGE_CODE):
        _tell(
            user,
            subject=_("Your password was reset"),
            lines=[
                _("An administrator set a new password for your account in the contact centre system."),
                _("Ask the administrator for it in person; you will choose your own when you next sign in."),
                _("If you did not ask for this, tell your supervisor."),
            ],
        )


def _tell(user: User, *, subject: str, lines: list[str]) -> None:
    if user.email:
        send_mail(subject, "\n\n".join(lines), None, [user.email])
