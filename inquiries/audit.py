"""The inquiries app's actions in the audit log, with their labels. Rows about callers'
personal data name the inquiry and the contact by id only."""

from django.utils.translation import gettext_lazy as _

CONTACT_VIEWED = "contact_viewed"
CONTACT_SAVED = "contact_saved"
EXPORTED = "inquiries_exported"
WEB_MESSAGE_VIEWED = "web_message_viewed"

ACTION_LABELS = {
    CONTACT_VIEWED: _("Caller's contact viewed"),
    CONTACT_SAVED: _("Caller's contact saved"),
    EXPORTED: _("Inquiries exported"),
    WEB_MESSAGE_VIEWED: _("Contact-form message viewed"),
}
