"""Forms of the pages that change a saved inquiry, its caller's contact and survey periods."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from inquiries.models import CallerContact, Inquiry, SurveyPeriod, city_areas
from knowledgebase.forms import CategoryChoiceField

# Generous: an e-mail or a letter summarised can be long, and a summary the console saved
# must stay editable here. Beyond it the form says so and keeps the text.
TEXT_MAX_LENGTH = 20_000
# Control characters (C0 and C1, DEL) other than the tab and the newline: pasted from other
# programs, invisible on screen, and PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)


def strip_control_characters(text: str) -> str:
    """Newlines made one kind (\\n), every other control character but the tab removed."""
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# What is recorded about a call, at the console and on the edit page alike.
CALL_FIELDS = [
    "received_at",
    "channel",
    "language",
    "kind",
    "category",
    "summary",
    "answer",
    "outcome",
    "callback_needed",
    "age_band",
    "gender",
    "caller_type",
    "area",
]


class CleanTextField(forms.CharField):
    """Text with control characters removed before it is validated (so a NUL is dropped,
    not refused). No `maxlength` in the page: a browser would cut a paste silently, while
    the form says what is too long and keeps all of it."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return strip_control_characters(text) if isinstance(text, str) else text

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class InquiryEditForm(forms.ModelForm):
    """An inquiry's own fields. `version` is the version that was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = CleanTextField(
        label=capfirst(Inquiry._meta.get_field("summary").verbose_name),
        help_text=Inquiry._meta.get_field("summary").help_text,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    answer = CleanTextField(
        label=capfirst(Inquiry._meta.get_field("answer").verbose_name),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    area = forms.ChoiceField(label=capfirst(Inquiry._meta.get_field("area").verbose_name))
    satisfaction = forms.TypedChoiceField(
        label=capfirst(Inquiry._meta.get_field("satisfaction").verbose_name),
        help_text=Inquiry._meta.get_field("satisfaction").help_text,
        choices=[("", _("Not asked")), *((score, str(score)) for score in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Inquiry
        fields = ["received_at", "ended_at", *CALL_FIELDS[1:], "satisfaction", "survey_declined"]
        field_classes = {"category": CategoryChoiceField}
        widgets = {"received_at": DATETIME_WIDGET, "ended_at": DATETIME_WIDGET}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        areas = city_areas()
        current = self.instance.area
        if current and current not in dict(areas):
            # An area no longer configured stays what it was until someone changes it.
            areas.append((current, current))
        self.fields["area"].choices = areas
        self.fields["category"].empty_label = "—"
        self.fields["outcome"].choices = [
            ("", _("None yet (still open)")),
            *self.fields["outcome"].choices[1:],
        ]

    def _keep_seconds(self, name: str) -> datetime | None:
        """The page shows whole seconds: a time sent back unchanged keeps its fraction of a
        second, so opening and saving the page changes nothing."""
        value = self.cleaned_data[name]
        saved = getattr(self.instance, name)
        if value is not None and saved is not None and value == saved.replace(microsecond=0):
            return saved
        return value

    def clean_received_at(self) -> datetime | None:
        return self._keep_seconds("received_at")

    def clean_ended_at(self) -> datetime | None:
        return self._keep_seconds("ended_at")

    def clean(self) -> dict:
        cleaned = super().clean()
        received, ended = cleaned.get("received_at"), cleaned.get("ended_at")
        if received and ended and ended < received:
            self.add_error("ended_at", _("The end cannot come before the time it was received."))
        if cleaned.get("satisfaction") is not None and cleaned.get("survey_declined"):
            self.add_error("survey_declined", _("Give a score or mark the survey declined, not both."))
        return cleaned

    def inquiry_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CallerContactForm(forms.ModelForm):
    """How to reach the caller again. Every field may be left empty. Built with `initial`
    from the contact read through inquiries.access, never with the row itself: the service
    makes and saves the row."""

    class Meta:
        model = CallerContact
        fields = ["name", "phone", "email", "postal_address", "purpose"]
        field_classes = {
            "name": CleanTextField,
            "phone": CleanTextField,
            "postal_address": CleanTextField,
            "purpose": CleanTextField,
        }
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SurveyPeriodForm(forms.ModelForm):
    class Meta:
        model = SurveyPeriod
        fields = ["name", "first_day", "last_day"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
