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
from inquiries.models import CallerContact, Inquiry, InquiryQuerySet, Reply

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


def get_reply_for_user(user: User, inquiry: Inquiry, pk: int) -> Reply:
    """A reply to an inquiry this person may see, if they may also read its caller's contact
    (a reply names the citizen and where it went); 404 otherwise."""
    if not can_read_contact(user, inquiry):
        raise Http404
    reply = Reply.objects.filter(inquiry=inquiry, pk=pk).select_related("sent_by").first()
    if reply is None:
        raise Http404
    return reply
