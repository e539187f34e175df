"""Forms of the escalation pages: passing an inquiry on, the department's reply, the list's
filters (read from the query string, like the inquiry lists: a bad value is left out)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import Department
from inquiries.forms_edit import TEXT_MAX_LENGTH, CleanTextField
from inquiries.models import EscalationQuerySet, EscalationStatus, ReplyAction


class EscalateForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), empty_label=_("Choose the department")
    )
    reason = CleanTextField(
        label=_("Why the department must answer"),
        help_text=_("What the citizen needs and why the centre cannot answer it. No personal data here."),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    share_contact = forms.BooleanField(
        label=_("Share the caller's contact with the department for this escalation"),
        help_text=_("Only when the department must reach the citizen itself. Recorded in the audit log."),
        required=False,
    )

    def __init__(self, *args: object, can_share: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not can_share:
            del self.fields["share_contact"]


DIRECT = EscalationStatus.ANSWERED_DIRECTLY.value


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reply = CleanTextField(
        label=_("The department's reply"),
        help_text=_("The answer for the citizen (or what the department told them)."),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    action = forms.ChoiceField(
        label=_("What happens next"),
        choices=[
            (ReplyAction.CALL_BACK.value, _("The centre calls the citizen back with this answer")),
            (ReplyAction.REPLY.value, _("The centre replies in writing with this answer")),
            (DIRECT, _("The department answered the citizen directly: close the inquiry")),
        ],
        widget=forms.RadioSelect,
    )


class CancelForm(forms.Form):
    note = CleanTextField(
        label=_("Why it is cancelled"), required=False, max_length=1000, widget=forms.TextInput()
    )


class EscalationFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *EscalationStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: object, all_departments: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not all_departments:
            del self.fields["department"]

    def filter(self, escalations: EscalationQuerySet) -> EscalationQuerySet:
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("department"):
            escalations = escalations.filter(department=values["department"])
        if values.get("status"):
            escalations = escalations.filter(status=values["status"])
        if values.get("overdue"):
            escalations = escalations.overdue()
        return escalations
