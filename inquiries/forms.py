"""The console's inquiry form: what the operator types during a call, and the Q&As used."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.forms_edit import CALL_FIELDS, DATETIME_WIDGET, TEXT_MAX_LENGTH, CleanTextField
from inquiries.models import Inquiry, InquiryLanguage, Kind, Outcome, city_areas
from inquiries.services import InquiryData, UsedArticle
from knowledgebase.forms import CategoryChoiceField
from knowledgebase.models import Language

# A call logged afterwards may carry its real start; one more than this ahead is a typing slip.
FUTURE_SLACK = timedelta(minutes=5)

CONTACT_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_postal_address",
    "contact_purpose",
)


class ConsoleSearchForm(forms.Form):
    """The console's Q&A search (as the operator types): words and the language searched."""

    q = forms.CharField(label=_("Search the Q&As"), required=False, max_length=200)
    search_lang = forms.ChoiceField(label=_("Search in"), choices=Language.choices, required=False)

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    def language(self) -> str:
        return (self.cleaned_data.get("search_lang") if self.is_valid() else "") or Language.JAPANESE


class InquiryForm(forms.ModelForm):
    """A new inquiry at the console. `form_token` makes a twice-posted form save once; `used`
    holds the Q&As used, each as "id|result count|search words"."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    used = forms.CharField(widget=forms.MultipleHiddenInput, required=False)
    settled_q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    settled_total = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    area = forms.ChoiceField(label=_("Area"), required=False)
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_postal_address = forms.CharField(
        label=_("Postal address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_purpose = forms.CharField(label=_("Why we contact them"), required=False, max_length=200)

    class Meta:
        model = Inquiry
        fields = CALL_FIELDS
        field_classes = {"category": CategoryChoiceField, "summary": CleanTextField, "answer": CleanTextField}
        widgets = {
            "received_at": DATETIME_WIDGET,
            "kind": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = city_areas()
        self.fields["area"].initial = "unknown"
        self.fields["outcome"].required = False
        self.fields["outcome"].choices = [("", _("Still open")), *Outcome.choices]
        self.fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in ("summary", "answer"):
            self.fields[name].max_length = TEXT_MAX_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))

    @classmethod
    def fresh(cls, **initial: object) -> InquiryForm:
        """The form for the next call: opened now, with the usual defaults."""
        now = timezone.localtime().replace(microsecond=0)
        return cls(
            initial={
                "received_at": now,
                "form_token": uuid.uuid4(),
                "channel": "phone",
                "language": InquiryLanguage.JAPANESE,
                "kind": Kind.QUESTION,
                "outcome": Outcome.RESOLVED,
                "area": "unknown",
                **initial,
            }
        )

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError(_("The time received is in the future. Check the date and time."))
        return received_at

    def clean_used(self) -> list[UsedArticle]:
        used = []
        for value in self.data.getlist("used") if hasattr(self.data, "getlist") else []:
            pk, _sep, rest = str(value).partition("|")
            total, _sep, query = rest.partition("|")
            if pk.isdigit():
                used.append(UsedArticle(int(pk), query.strip()[:200], int(total) if total.isdigit() else 0))
        return list({item.article_id: item for item in used}.values())

    def used_articles(self) -> list[UsedArticle]:
        """The Q&As used, also when the form is not valid (they must survive a re-display)."""
        if hasattr(self, "cleaned_data") and "used" in self.cleaned_data:
            return self.cleaned_data["used"]
        return self.clean_used() if self.is_bound else []

    def inquiry_data(self) -> InquiryData:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name != "area"}
        fields["area"] = data.get("area") or "unknown"
        settled = None
        if data.get("settled_q", "").strip():
            settled = UsedArticle(0, data["settled_q"].strip(), data.get("settled_total") or 0)
        return InquiryData(
            fields=fields,
            used=data["used"],
            settled_search=settled,
            contact={name.removeprefix("contact_"): data.get(name, "") for name in CONTACT_FIELDS},
        )


class SurveyForm(forms.Form):
    """The caller's satisfaction after a call: a score from 1 to 5, or declined."""

    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        choices=[(str(n), str(n)) for n in range(1, 6)],
        required=False,
        empty_value=None,
    )
    declined = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("score") is None and not data.get("declined"):
            raise forms.ValidationError(_("Choose a score from 1 to 5, or “declined”."))
        return data
