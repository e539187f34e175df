"""The filters of the inquiry lists and their CSV export, read from the query string (GET).

A value that does not validate (a date like 2027-02-30, an unknown channel, a removed
category) is left out and the rest still filter: the page never fails on a bookmark or an
edited URL, and the form shows what was left out.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User
from inquiries.models import Channel, InquiryLanguage, InquiryQuerySet, InquiryStatus, Kind, Outcome
from knowledgebase.forms import CategoryChoiceField

# Free text reads every summary and answer of the rows it looks at (a LIKE scan, no index
# can serve "contains"), so it is only ever run over a date range: with no dates given, the
# last 31 days (a month of calls, tens of thousands of rows in a large city). Measured on
# PostgreSQL with a million inquiries: a word over 31 days answers in about 30 ms; a word
# found nowhere, over all ten years, takes about two seconds.
TEXT_SEARCH_DAYS = 31
TEXT_MAX_WORDS = 5
# The days a date filter accepts: any day an inquiry can have, with room around it that
# still converts to a moment without overflowing (year 1 or 9999 would).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any(choices: list[tuple[str, str]]) -> list[tuple[str, object]]:
    return [("", _("Any")), *choices]


def _day(value: date | None) -> date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(_("Give a day between 2000 and 2999."))
    return value


def inquiry_takers():
    """People who take calls (operators, leaders, supervisors), former ones included so that
    their inquiries stay easy to find."""
    return (
        User.objects.filter(
            groups__permissions__codename="add_inquiry",
            groups__permissions__content_type__app_label="inquiries",
        )
        .distinct()
        .order_by("display_name", "username")
    )


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user) if user.is_active else _("%(name)s (left)") % {"name": user}


class InquiryFilterForm(forms.Form):
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_WIDGET)
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("This day included."),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_any(Channel.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_any(Kind.choices))
    category = CategoryChoiceField(label=_("Category"), required=False, empty_label=_("Any"))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=_any(Outcome.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_any(InquiryStatus.choices))
    operator = OperatorChoiceField(
        label=_("Taken by"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_any(InquiryLanguage.choices))
    q = forms.CharField(
        label=_("Words in what was asked or answered"),
        required=False,
        max_length=200,
        help_text=_("Without dates, only the last 31 days are searched."),
    )

    # Set by filter(): the free text was limited to the last TEXT_SEARCH_DAYS days.
    text_search_limited = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = inquiry_takers()

    def clean_received_from(self) -> date | None:
        return _day(self.cleaned_data["received_from"])

    def clean_received_to(self) -> date | None:
        return _day(self.cleaned_data["received_to"])

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("received_from"), cleaned.get("received_to")
        if first and last and last < first:
            self.add_error(
                "received_to", _("The last day cannot come before the first day; it was left out.")
            )
        return cleaned

    def values(self) -> dict[str, object]:
        """Every filter, None where not given or left out as invalid."""
        self.is_valid()  # an invalid field is left out of cleaned_data; the others still filter
        return dict.fromkeys(self.fields) | self.cleaned_data

    def words(self) -> list[str]:
        text = self.values()["q"] or ""
        return text.split()[:TEXT_MAX_WORDS]  # split() also splits on the full-width space

    def filter(self, inquiries: InquiryQuerySet, *, today: date | None = None) -> InquiryQuerySet:
        data = self.values()
        first, last = data["received_from"], data["received_to"]
        words = self.words()
        if words and first is None:
            last = last or today or timezone.localdate()
            first = last - timedelta(days=TEXT_SEARCH_DAYS - 1)
            self.text_search_limited = True
        if first or last:
            inquiries = inquiries.received_on(first or FIRST_DAY, last or LAST_DAY)
        for name in ("channel", "kind", "outcome", "status", "language", "operator"):
            if data[name]:
                inquiries = inquiries.filter(**{name: data[name]})
        if data["category"]:
            inquiries = inquiries.filter(Q(category=data["category"]) | Q(category__parent=data["category"]))
        for word in words:
            inquiries = inquiries.filter(Q(summary__icontains=word) | Q(answer__icontains=word))
        return inquiries

    def describe(self) -> str:
        """The filters applied, for the audit log: codes and ids, and only the length of any
        free text (a leader might search for a name)."""
        parts = []
        for name, value in self.values().items():
            if value in (None, ""):
                continue
            if name == "q":
                parts.append(f"q=({len(value)} characters)")
            elif hasattr(value, "pk"):
                parts.append(f"{name}={value.pk}")
            else:
                parts.append(f"{name}={value}")
        if self.text_search_limited:
            parts.append(f"last {TEXT_SEARCH_DAYS} days")
        return "; ".join(parts)


class MyInquiriesFilterForm(forms.Form):
    open_callbacks = forms.BooleanField(label=_("Only callbacks still owed"), required=False)
    open_written = forms.BooleanField(
        label=_("Only e-mails, faxes, letters and web messages still open"), required=False
    )

    def filter(self, inquiries: InquiryQuerySet) -> InquiryQuerySet:
        self.is_valid()
        if self.cleaned_data.get("open_callbacks"):
            inquiries = inquiries.open_callbacks()
        if self.cleaned_data.get("open_written"):
            inquiries = inquiries.open_written()
        return inquiries
