"""Forms for what arrives in writing: registering a fax or a letter, adding scanned pages,
handing out the queue, and the printed reply."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User
from inquiries.forms_edit import DATETIME_WIDGET, TEXT_MAX_LENGTH, CleanTextField
from inquiries.models import Channel, InquiryLanguage, Reply, ReplyMethod
from inquiries.services.written import UploadedPage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PagesField(forms.FileField):
    """Any number of files at once (a fax is often several pages, each a file)."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff"})

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PagesField, self).clean(file, initial) for file in files]


def read_pages(files: list[UploadedFile]) -> tuple[list[UploadedPage], list[tuple[str, str]]]:
    """The uploaded files' contents, and those refused for their size before being read."""
    limit = settings.ATTACHMENT_MAX_BYTES
    pages, refused = [], []
    for file in files:
        if file.size > limit:
            refused.append(
                (
                    file.name,
                    _("%(name)s is larger than %(limit)s. Split it or scan it at a lower resolution.")
                    % {"name": file.name, "limit": filesizeformat(limit)},
                )
            )
            continue
        pages.append(UploadedPage(name=file.name, data=file.read()))
    return pages, refused


def _people_who_take_inquiries() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="add_inquiry")
        .distinct()
        .order_by("display_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class AssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (back to the queue)"),
    )
    # Who it was assigned to when the page was shown: a change made meanwhile is not overwritten.
    expected_assignee = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _people_who_take_inquiries()


class PaperInquiryForm(forms.Form):
    """A fax or a letter as it arrived."""

    channel = forms.ChoiceField(
        label=_("Arrived by"),
        choices=[(Channel.FAX, Channel.FAX.label), (Channel.LETTER, Channel.LETTER.label)],
        widget=forms.RadioSelect,
        initial=Channel.FAX,
    )
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET)
    language = forms.ChoiceField(
        label=_("Language"), choices=InquiryLanguage.choices, initial=InquiryLanguage.JAPANESE
    )
    pages = PagesField(
        label=_("Scanned pages"),
        required=False,
        help_text=_("PDF, PNG, JPEG or TIFF, up to 20 MB each; several files at once."),
    )
    name = forms.CharField(label=_("Sender's name"), max_length=100, required=False)
    fax = forms.CharField(label=_("Sender's fax number"), max_length=40, required=False)
    postal_address = forms.CharField(
        label=_("Sender's postal address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label=_("Sender's phone"), max_length=40, required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(microsecond=0, tzinfo=None)

    def clean_received_at(self) -> object:
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A fax or letter cannot arrive in the future."))
        return received_at

    def contact(self) -> dict[str, str]:
        data = self.cleaned_data
        reply_by = ReplyMethod.FAX if data["fax"] else ReplyMethod.POST if data["postal_address"] else ""
        return {
            "name": data["name"],
            "fax": data["fax"],
            "postal_address": data["postal_address"],
            "phone": data["phone"],
            "reply_by": reply_by,
        }


class PagesForm(forms.Form):
    pages = PagesField(
        label=_("Scanned pages"),
        help_text=_("PDF, PNG, JPEG or TIFF, up to 20 MB each; several files at once."),
    )


class PaperReplyForm(forms.Form):
    """The answer to a fax or a letter, printed on the centre's letterhead."""

    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=[
            (Reply.Channel.FAX, Reply.Channel.FAX.label),
            (Reply.Channel.LETTER, Reply.Channel.LETTER.label),
        ],
        widget=forms.RadioSelect,
    )
    to = CleanTextField(
        label=_("To"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The name and fax number or postal address, as printed at the top."),
    )
    summary = CleanTextField(
        label=_("What was asked"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words; no names, numbers or addresses. Needed to close the inquiry."),
    )
    body = CleanTextField(
        label=_("Answer"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 14})
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)
