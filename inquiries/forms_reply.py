"""The e-mail reply form: to whom, subject, text, and what was asked (needed to close)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.forms_edit import TEXT_MAX_LENGTH, strip_control_characters


class EmailReplyForm(forms.Form):
    to = forms.ChoiceField(label=_("To"))
    subject = forms.CharField(label=_("Subject"), max_length=500)
    body = forms.CharField(
        label=_("Reply"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 18})
    )
    summary = forms.CharField(
        label=_("What was asked"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words; no names, numbers or addresses. Needed to close the inquiry."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: object, addresses: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(address, address) for address in addresses]

    def clean_subject(self) -> str:
        # A header: no line breaks, whatever was pasted.
        return " ".join(strip_control_characters(self.cleaned_data["subject"]).split())

    def clean_body(self) -> str:
        return strip_control_characters(self.cleaned_data["body"])

    def clean_summary(self) -> str:
        return strip_control_characters(self.cleaned_data["summary"]).strip()
