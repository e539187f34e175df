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

ESCALATED = "inquiry_escalated"
ESCALATION_ANSWERED = "escalation_answered"
ESCALATION_FINISHED = "escalation_finished"
ESCALATION_CANCELLED = "escalation_cancelled"
CONTACT_SHARED = "contact_shared"
SHARED_CONTACT_VIEWED = "shared_contact_read"
ARTICLE_STARTED_FROM_INQUIRY = "article_from_inquiry"

ACTION_LABELS.update(
    {
        ESCALATED: _("Inquiry escalated to a department"),
        ESCALATION_ANSWERED: _("Escalation answered by the department"),
        ESCALATION_FINISHED: _("Department's reply passed on"),
        ESCALATION_CANCELLED: _("Escalation cancelled"),
        CONTACT_SHARED: _("Caller's contact shared with a department"),
        SHARED_CONTACT_VIEWED: _("Shared contact viewed by the department"),
        ARTICLE_STARTED_FROM_INQUIRY: _("Q&A draft started from an inquiry"),
    }
)

PERSONAL_DATA_PURGED = "personal_data_purged"

ATTACHMENT_ADDED = "attachment_added"

ACTION_LABELS.update(
    {
        PERSONAL_DATA_PURGED: _("Personal data past retention erased"),
        ATTACHMENT_ADDED: _("Scanned page added"),
    }
)
