"""Who may see which inquiry and which caller's contact: the one way views load them.

Operators see the inquiries they took or were assigned; leaders and supervisors see all.
A caller's contact is read by the operator who took the inquiry, leaders and supervisors,
and every read is audited (by ids). Administrators and departments never read it here.

Escalations: centre staff see the escalations of the inquiries they see (leaders and
supervisors all); a department editor sees only their own department's, with the inquiry's
summary, kind, category, language and received date, the reason and the Q&As used, never
the caller's contact. The one exception: the centre (someone who may read the contact)
shares it for one escalation, and then that department's editors read it
(`read_shared_contact`, audited) while the escalation waits for them; no other escalation,
department or inquiry gains anything from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.models import (
    Attachment,
    CallerContact,
    Channel,
    Escalation,
    EscalationQuerySet,
    InboundEmail,
    InboxMessage,
    Inquiry,
    InquiryQuerySet,
    Reply,
)

VIEW_ALL = "inquiries.view_all_inquiries"


@dataclass(frozen=True)
class Correspondence:
    emails: list[InboundEmail]
    attachments: list[Attachment]  # scanned pages: those not part of an e-mail
    replies: list[Reply]


def sees_all_inquiries(user: User) -> bool:
    return user.has_perm(VIEW_ALL)


def visible_inquiries(user: User) -> InquiryQuerySet:
    inquiries = Inquiry.objects.select_related("category__parent", "operator", "assigned_to")
    if not user.is_authenticated or not user.has_perm("inquiries.view_inquiry"):
        return inquiries.none()
    if sees_all_inquiries(user):
        return inquiries
    return inquiries.handled_by(user)


def own_inquiries(user: User) -> InquiryQuerySet:
    """The inquiries this person took or was assigned (a leader's own too, not everyone's)."""
    inquiries = visible_inquiries(user)
    return inquiries.handled_by(user) if sees_all_inquiries(user) else inquiries


def get_inquiry_for_user(user: User, pk: int) -> Inquiry:
    """The inquiry if this person may see it; 404 otherwise (no hint that it exists)."""
    inquiry = visible_inquiries(user).filter(pk=pk).first()
    if inquiry is None:
        raise Http404
    return inquiry


def can_read_contact(user: User, inquiry: Inquiry) -> bool:
    return user.has_perm("inquiries.view_callercontact") and (
        sees_all_inquiries(user) or inquiry.operator_id == user.pk or inquiry.assigned_to_id == user.pk
    )


def can_edit_contact(user: User, inquiry: Inquiry) -> bool:
    return can_read_contact(user, inquiry) and user.has_perms(
        ["inquiries.add_callercontact", "inquiries.change_callercontact"]
    )


def read_contact(user: User, inquiry: Inquiry) -> CallerContact | None:
    """The caller's contact of an inquiry this person may see, its reading audited; None when
    there is none; 404 for a person who may not read it."""
    if not can_read_contact(user, inquiry):
        raise Http404
    contact = CallerContact.objects.filter(inquiry=inquiry).first()
    if contact is not None:
        record_event(actor=user, action=audit.CONTACT_VIEWED, target=contact)
    return contact


def get_reply_for_user(user: User, inquiry: Inquiry, pk: int) -> Reply:
    """A reply to an inquiry this person may see, if they may also read its caller's contact
    (a reply names the citizen and where it went); 404 otherwise."""
    if not can_read_contact(user, inquiry):
        raise Http404
    reply = Reply.objects.filter(inquiry=inquiry, pk=pk).select_related("sent_by").first()
    if reply is None:
        raise Http404
    return reply


def can_read_correspondence(user: User, inquiry: Inquiry) -> bool:
    """What the citizen wrote and what was sent back is personal data like their contact."""
    return can_read_contact(user, inquiry) and user.has_perms(
        ["inquiries.view_inboundemail", "inquiries.view_attachment", "inquiries.view_reply"]
    )


def read_correspondence(user: User, inquiry: Inquiry) -> Correspondence:
    """An inquiry's e-mails (with their attachments), its other attachments and its replies,
    the reading audited by ids; 404 for a person who may not read them."""
    if not can_read_correspondence(user, inquiry):
        raise Http404
    emails = list(inquiry.emails.prefetch_related("attachments"))
    attachments = list(inquiry.attachments.filter(email__isnull=True))
    replies = list(inquiry.replies.select_related("sent_by", "in_reply_to"))
    if emails or attachments or replies:
        record_event(
            actor=user,
            action=audit.EMAILS_VIEWED,
            target=inquiry,
            note=" ".join(
                [
                    *(f"email:{email.pk}" for email in emails),
                    *(f"attachment:{attachment.pk}" for attachment in attachments),
                    *(f"reply:{reply.pk}" for reply in replies),
                ]
            ),
        )
    return Correspondence(emails=emails, attachments=attachments, replies=replies)


def get_email_for_user(user: User, inquiry: Inquiry, pk: int) -> InboundEmail:
    """One e-mail of the inquiry as received, its download audited; 404 otherwise."""
    if not can_read_correspondence(user, inquiry):
        raise Http404
    email = InboundEmail.objects.filter(inquiry=inquiry, pk=pk).first()
    if email is None:
        raise Http404
    record_event(actor=user, action=audit.EMAIL_DOWNLOADED, target=email)
    return email


def get_attachment_for_user(user: User, inquiry: Inquiry, pk: int) -> Attachment:
    """One attachment of the inquiry (a scanned page or an e-mail's file), its opening
    audited; 404 otherwise."""
    if not can_read_correspondence(user, inquiry):
        raise Http404
    attachment = Attachment.objects.filter(inquiry=inquiry, pk=pk).first()
    if attachment is None:
        raise Http404
    record_event(actor=user, action=audit.ATTACHMENT_VIEWED, target=attachment)
    return attachment


def can_reply(user: User, inquiry: Inquiry) -> bool:
    """Staff who handle the inquiry (its operator or assignee) and leaders and supervisors
    reply to an e-mail inquiry."""
    return (
        inquiry.channel == Channel.EMAIL
        and user.has_perm("inquiries.add_reply")
        and can_read_correspondence(user, inquiry)
    )


def can_read_web_message(user: User, inquiry: Inquiry) -> bool:
    """What a citizen wrote in the contact form is theirs like their contact: the same people read it."""
    return (
        inquiry.channel == Channel.WEB
        and can_read_contact(user, inquiry)
        and user.has_perm("inquiries.view_inboxmessage")
    )


def read_web_message(user: User, inquiry: Inquiry) -> InboxMessage | None:
    """The contact-form message an inquiry came from, its reading audited; None when there is
    none or this person may not read it (the page then shows nothing of it)."""
    if not can_read_web_message(user, inquiry):
        return None
    message = InboxMessage.objects.filter(inquiry=inquiry).select_related("article").first()
    if message is not None:
        record_event(actor=user, action=audit.WEB_MESSAGE_VIEWED, target=message)
    return message


ANSWER_ESCALATIONS = "inquiries.answer_escalation"


def answers_for_department(user: User) -> bool:
    """A department editor: answers their own department's escalations, sees no other."""
    return user.has_perm(ANSWER_ESCALATIONS) and not user.has_perm("inquiries.view_inquiry")


def visible_escalations(user: User) -> EscalationQuerySet:
    escalations = Escalation.objects.select_related(
        "inquiry__category__parent", "department", "created_by", "replied_by"
    )
    if not user.is_authenticated or not user.has_perm("inquiries.view_escalation"):
        return escalations.none()
    if answers_for_department(user):
        return escalations.for_department(user.department)
    if sees_all_inquiries(user):
        return escalations
    return escalations.filter(inquiry__in=visible_inquiries(user).values("pk"))


def get_escalation_for_user(user: User, pk: int) -> Escalation:
    """The escalation if this person may see it; 404 otherwise (no hint that it exists)."""
    escalation = visible_escalations(user).filter(pk=pk).first()
    if escalation is None:
        raise Http404
    return escalation


def can_share_contact(user: User, escalation: Escalation) -> bool:
    return (
        escalation.is_awaiting_department()
        and not escalation.contact_is_shared()
        and (can_read_contact(user, escalation.inquiry))
    )


def is_editor_of(user: User, escalation: Escalation) -> bool:
    """A department editor of the department this escalation went to."""
    return (
        user.has_perm(ANSWER_ESCALATIONS)
        and user.department_id is not None
        and user.department_id == escalation.department_id
    )


def can_read_shared_contact(user: User, escalation: Escalation) -> bool:
    return (
        escalation.contact_is_shared()
        and escalation.is_awaiting_department()
        and is_editor_of(user, escalation)
    )


def read_shared_contact(user: User, escalation: Escalation) -> CallerContact | None:
    """The caller's contact the centre shared for this escalation, read by its department
    (audited by ids); 404 for anyone else, or once it is no longer shared."""
    if not can_read_shared_contact(user, escalation):
        raise Http404
    contact = CallerContact.objects.filter(inquiry_id=escalation.inquiry_id).first()
    if contact is not None:
        record_event(
            actor=user, action=audit.SHARED_CONTACT_VIEWED, target=escalation, note=f"contact {contact.pk}"
        )
    return contact
