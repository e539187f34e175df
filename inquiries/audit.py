"""The inquiries app's actions in the audit log, with their labels. Rows about callers'
personal data name the inquiry and the contact by id only."""

from django.utils.translation import gettext_lazy as _

CONTACT_VIEWED = "contact_viewed"
CONTACT_SAVED = "contact_saved"
EXPORTED = "inquiries_exported"
REPLY_VIEWED = "reply_viewed"
EMAILS_VIEWED = "emails_viewed"
EMAIL_DOWNLOADED = "email_downloaded"
ATTACHMENT_VIEWED = "attachment_viewed"
REPLY_SENT = "reply_sent"
WEB_MESSAGE_VIEWED = "web_message_viewed"

ACTION_LABELS = {
    CONTACT_VIEWED: _("Caller's contact viewed"),
    CONTACT_SAVED: _("Caller's contact saved"),
    EXPORTED: _("Inquiries exported"),
    REPLY_VIEWED: _("Reply to a citizen viewed"),
    EMAILS_VIEWED: _("E-mails and replies viewed"),
    EMAIL_DOWNLOADED: _("E-mail as received downloaded"),
    ATTACHMENT_VIEWED: _("Attachment viewed"),
    REPLY_SENT: _("Reply sent"),
    WEB_MESSAGE_VIEWED: _("Contact-form message viewed"),
}
