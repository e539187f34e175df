"""The public contact form: a citizen's question and, only for the reply they chose, how to reach them."""

from __future__ import annotations

import unicodedata
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import UNKNOWN, AgeBand, Gender, ReplyMethod
from knowledgebase.models import Article

QUESTION_MAX_LENGTH = 4000
ADDRESS_MAX_LENGTH = 500

# The contact field each way of replying needs.
CONTACT_FOR_REPLY = {
    ReplyMethod.EMAIL: "email",
    ReplyMethod.PHONE: "phone",
    ReplyMethod.FAX: "fax",
    ReplyMethod.POST: "postal_address",
}
CONTACT_MISSING = {
    "email": _("You chose a reply by e-mail: enter your e-mail address."),
    "phone": _("You chose a reply by phone: enter your phone number."),
    "fax": _("You chose a reply by fax: enter your fax number."),
    "postal_address": _("You chose a reply by post: enter your postal address."),
}
PHONE_CHARACTERS = set("0123456789+-() ")


def _without_unknown(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(value, label) for value, label in choices if value != UNKNOWN]


def _phone_number(value: str, message: str) -> str:
    # Full-width digits and hyphens are what Japanese keyboards often type: accepted as typed.
    normal = unicodedata.normalize("NFKC", value).strip().replace("ー", "-").replace("−", "-")
    if normal and (not set(normal) <= PHONE_CHARACTERS or sum(c.isdigit() for c in normal) < 6):
        raise forms.ValidationError(message)
    return normal


class ContactForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 4,000 characters. Please write what you want to know as precisely as you can."),
        error_messages={
            "required": _("Enter your question."),
            "max_length": _(
                "Your question is %(show_value)d characters long; the form takes up to %(limit_value)d. "
                "Please shorten it, or call us."
            ),
        },
    )
    age_band = forms.ChoiceField(
        label=_("Your age (optional)"),
        choices=[(UNKNOWN, _("Prefer not to say")), *_without_unknown(AgeBand.choices)],
        required=False,
        initial=UNKNOWN,
    )
    gender = forms.ChoiceField(
        label=_("Your gender (optional)"),
        choices=[(UNKNOWN, _("Prefer not to say")), *_without_unknown(Gender.choices)],
        required=False,
        initial=UNKNOWN,
    )
    reply_by = forms.ChoiceField(
        label=_("How should we reply?"),
        choices=ReplyMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should reply, or “No reply needed”.")},
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Needed for a reply by e-mail. If you give it, we also send you the reference number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address like name@example.jp.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("Needed for a reply by phone."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    fax = forms.CharField(
        label=_("Fax number"),
        max_length=40,
        required=False,
        help_text=_("Needed for a reply by fax."),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=_("Needed for a reply by post, with your postcode."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    # The Q&A the citizen was reading ("this did not answer my question"), if any.
    article = forms.CharField(required=False, widget=forms.HiddenInput)
    # One token per opened form: the same form posted twice stores one message.
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    # The honeypot: hidden from people (CSS, aria-hidden, no tab stop) but a field a bot fills.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        elif not _is_uuid(self.data.get("form_token")):
            # A token lost or mangled on the way is no reason to bother the citizen: this post
            # gets a new one (and then only misses the double-post check).
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())

    def clean_article(self) -> int | None:
        """The published Q&A this came from; anything else (a stale or edited link) is dropped."""
        value = self.cleaned_data["article"].strip()
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            return None
        return Article.objects.published().filter(pk=int(value)).values_list("pk", flat=True).first()

    def clean_phone(self) -> str:
        return _phone_number(self.cleaned_data["phone"], _("Enter a phone number using digits and hyphens."))

    def clean_fax(self) -> str:
        return _phone_number(self.cleaned_data["fax"], _("Enter a fax number using digits and hyphens."))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        needed = CONTACT_FOR_REPLY.get(cleaned.get("reply_by"))
        if needed and not cleaned.get(needed) and needed not in self.errors:
            self.add_error(needed, CONTACT_MISSING[needed])
        return cleaned

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def with_new_token(self) -> ContactForm:
        """The same form as typed, with a fresh token."""
        data = self.data.copy()
        data["form_token"] = str(uuid.uuid4())
        return type(self)(data)


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
