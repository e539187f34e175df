"""The knowledge base's actions in the audit log, with their labels."""

from django.utils.translation import gettext_lazy as _

SUBMIT = "submit"
SEND_BACK = "send_back"
PUBLISH = "publish"
WITHDRAW = "withdraw"
RESTORE = "restore"
DISCARD = "discard"

ACTION_LABELS = {
    SUBMIT: _("Submitted for review"),
    SEND_BACK: _("Sent back"),
    PUBLISH: _("Published"),
    WITHDRAW: _("Withdrawn"),
    RESTORE: _("Restored an earlier version"),
    DISCARD: _("Discarded pending changes"),
}

EXPORTED = "qa_exported"

ACTION_LABELS.update({EXPORTED: _("Q&As downloaded as CSV")})
