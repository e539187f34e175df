"""Who may see which inquiry and which caller's contact: the one way views load them.

Operators see the inquiries they took or were assigned; leaders and supervisors see all.
A caller's contact is read by the operator who took the inquiry, leaders and supervisors,
and every read is audited (by ids). Administrators and departments never read it here.
"""

from __future__ import annotations

from django.http import Http404

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.models import CallerContact, Channel, InboxMessage, Inquiry, InquiryQuerySet

VIEW_ALL = "inquiries.view_all_inquiries"


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
