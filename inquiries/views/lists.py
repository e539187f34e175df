"""Inquiries after the call, under /console/: one's own list, the list of all (leaders and
supervisors), its CSV export, one inquiry with its history, its edit page and its caller's
contact."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contactcenter.lib.spreadsheet import csv_response
from inquiries import services
from inquiries.access import (
    can_edit_contact,
    can_read_contact,
    get_inquiry_for_user,
    own_inquiries,
    read_contact,
    read_web_message,
    visible_inquiries,
)
from inquiries.filters import TEXT_SEARCH_DAYS, InquiryFilterForm, MyInquiriesFilterForm
from inquiries.forms_edit import CallerContactForm, InquiryEditForm
from inquiries.models import Inquiry, InquiryArticle, city_areas
from inquiries.views import escalations
from inquiries.views.correspondence import correspondence_context
from inquiries.views.written import written_context
from knowledgebase.access import editable_articles

PAGE_SIZE = 50
# Counting every match of a broad filter over a million inquiries reads every one of them
# (COUNT(*) has no shortcut in PostgreSQL, and a "contains" filter reads each text too),
# which takes seconds; the page itself needs only 50 rows. Counting stops after this many
# and the page says "more than 10,000": nobody pages that far, they narrow the filters.
COUNT_LIMIT = 10_000
HISTORY_ROWS = 100


class CappedPaginator(Paginator):
    """A paginator that counts at most COUNT_LIMIT + 1 rows (see COUNT_LIMIT)."""

    @cached_property
    def count(self) -> int:
        # Unordered: any COUNT_LIMIT + 1 matches will do, so the database stops at them
        # instead of sorting every match first.
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_LIMIT


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@permission_required("inquiries.view_inquiry", raise_exception=True)
def my_inquiries(request: HttpRequest) -> HttpResponse:
    """The inquiries this person took or was assigned, newest first."""
    form = MyInquiriesFilterForm(request.GET)
    inquiries = form.filter(own_inquiries(request.user))
    return render(
        request,
        "inquiries/inquiry_mine.html",
        {
            "form": form,
            "page_obj": Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": _query_string(request),
        },
    )


@login_required
@permission_required("inquiries.view_all_inquiries", raise_exception=True)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    form = InquiryFilterForm(request.GET)
    inquiries = form.filter(visible_inquiries(request.user))
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "form": form,
            "page_obj": CappedPaginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": _query_string(request),
            "count_limit": COUNT_LIMIT,
            "text_search_days": TEXT_SEARCH_DAYS,
            "can_export": request.user.has_perm("inquiries.export_inquiries"),
        },
    )


def _when(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else ""


def _duration(span: timedelta | None) -> str:
    if span is None:
        return ""
    minutes, seconds = divmod(int(span.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


# The inquiry's own fields in the order the detail page shows them.
DETAIL_FIELDS = [
    "received_at",
    "ended_at",
    "channel",
    "language",
    "kind",
    "category",
    "summary",
    "answer",
    "outcome",
    "status",
    "callback_needed",
    "operator",
    "assigned_to",
    "out_of_hours",
    "satisfaction",
    "survey_declined",
    "age_band",
    "gender",
    "caller_type",
    "area",
    "version",
    "created_at",
    "updated_at",
]


def _facts(inquiry: Inquiry) -> list[tuple[str, str]]:
    """(label, value as shown) for each field of the inquiry."""
    areas = dict(city_areas())
    facts = []
    for name in DETAIL_FIELDS:
        field = Inquiry._meta.get_field(name)
        value = getattr(inquiry, name)
        if name == "area":
            shown = areas.get(value, value)
        elif field.choices:
            shown = getattr(inquiry, f"get_{name}_display")()
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif field.get_internal_type() == "DateTimeField":
            shown = _when(value)
        else:
            shown = "" if value is None else str(value)
        facts.append((capfirst(field.verbose_name), shown))
        if name == "ended_at" and inquiry.handling_time is not None:
            facts.append((_("Handling time (minutes:seconds)"), _duration(inquiry.handling_time)))
    return facts


def _history(inquiry: Inquiry) -> list[dict[str, object]]:
    """Each saved version, newest first: when, who, and the labels of the fields it changed."""
    records = list(
        inquiry.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_ROWS + 1
        ]
    )
    rows = []
    for newer, older in zip(records[:HISTORY_ROWS], [*records[1:], None], strict=False):
        if older is None or newer.history_type == "+":
            changed = [_("Recorded")]
        else:
            changed = [
                capfirst(Inquiry._meta.get_field(change.field).verbose_name)
                for change in newer.diff_against(older).changes
            ]
        rows.append({"when": newer.history_date, "who": newer.history_user, "changed": changed})
    return rows


@login_required
@permission_required("inquiries.view_inquiry", raise_exception=True)
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(request.user, pk)
    links = list(inquiry.article_links.select_related("article").order_by("position"))
    openable = set(
        editable_articles(request.user)
        .filter(pk__in=[link.article_id for link in links])
        .values_list("pk", flat=True)
        if links
        else ()
    )
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "facts": _facts(inquiry),
            "used": [(link.article, link.article_id in openable) for link in links],
            "history": _history(inquiry),
            "can_edit": request.user.has_perm("inquiries.change_inquiry"),
            "can_read_contact": can_read_contact(request.user, inquiry),
            **escalations.inquiry_context(request.user, inquiry),
            **written_context(request.user, inquiry),
            **correspondence_context(request.user, inquiry),
            "web_message": read_web_message(request.user, inquiry),
        },
    )


def _keep_typed_text(form: InquiryEditForm, error: Exception, current_version: int) -> InquiryEditForm:
    """The form as typed, with the message, carrying the version saved meanwhile: saving it
    again (after comparing) overwrites that version knowingly."""
    form.data = form.data.copy()
    form.data["version"] = current_version
    form.add_error(None, str(error))
    return form


@login_required
@permission_required("inquiries.change_inquiry", raise_exception=True)
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(request.user, pk)
    form = InquiryEditForm(request.POST or None, instance=inquiry, initial={"version": inquiry.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        # The Q&As used are the console's to change; here they stay as they are, in order.
        used = [
            services.UsedArticle(article_id)
            for article_id in inquiry.article_links.order_by("position").values_list("article_id", flat=True)
        ]
        try:
            services.update_inquiry(
                inquiry=inquiry,
                user=request.user,
                data=services.InquiryData(fields=form.inquiry_fields(), used=used),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleInquiry as error:
            conflict = get_inquiry_for_user(request.user, pk)
            form = _keep_typed_text(form, error, conflict.version)
        except services.InquiryError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved."))
            if inquiry.escalation_pending():
                return redirect("inquiries:escalate", pk=pk)
            return redirect("inquiries:detail", pk=pk)
    return render(
        request,
        "inquiries/inquiry_form.html",
        {"form": form, "inquiry": inquiry, "conflict": conflict},
    )


@never_cache
@login_required
def inquiry_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The caller's contact: read (audited) and changed only here, by the people
    inquiries.access allows; 404 for everyone else, as if there were no such inquiry."""
    inquiry = get_inquiry_for_user(request.user, pk)
    can_edit = can_edit_contact(request.user, inquiry)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = CallerContactForm(request.POST)
        if form.is_valid():
            try:
                services.save_caller_contact(inquiry=inquiry, user=request.user, values=form.values())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The caller's contact was saved."))
                return redirect("inquiries:detail", pk=pk)
        contact = None
    else:
        contact = read_contact(request.user, inquiry)
        form = CallerContactForm(
            initial={name: getattr(contact, name) for name in CallerContactForm.Meta.fields}
            if contact
            else None
        )
    return render(
        request,
        "inquiries/inquiry_contact.html",
        {"inquiry": inquiry, "contact": contact, "form": form, "can_edit": can_edit},
    )


def _yes(value: bool) -> int:
    return 1 if value else 0


@login_required
@permission_required("inquiries.export_inquiries", raise_exception=True)
def inquiry_export(request: HttpRequest) -> HttpResponse:
    """The list of all inquiries with its filters, as CSV, streamed row by row. Never any
    caller's contact: that table is not read."""
    form = InquiryFilterForm(request.GET)
    inquiries = (
        form.filter(visible_inquiries(request.user))
        .order_by("received_at", "pk")
        .prefetch_related(
            Prefetch(
                "article_links",
                queryset=InquiryArticle.objects.select_related("article")
                .only("inquiry", "position", "article__external_id")
                .order_by("position"),
            )
        )
    )
    services.record_export(user=request.user, filters=form.describe())
    header = [
        _("ID"),
        _("Received"),
        _("Ended"),
        _("Channel"),
        _("Kind"),
        _("Language"),
        _("Category"),
        _("What was asked"),
        _("What the centre answered"),
        _("Outcome"),
        _("Status"),
        _("Callback needed"),
        _("Taken by"),
        _("Q&As used"),
        _("Age"),
        _("Gender"),
        _("Caller"),
        _("Area"),
        _("Out of hours"),
        _("Satisfaction"),
        _("Declined the survey"),
    ]
    # Labels resolved now, in the person's language: the rows are written after this returns.
    label = {
        name: {value: str(text) for value, text in Inquiry._meta.get_field(name).choices}
        for name in ("channel", "kind", "language", "outcome", "status", "age_band", "gender", "caller_type")
    }
    label["area"] = dict(city_areas())
    rows = (
        [
            inquiry.pk,
            _when(inquiry.received_at),
            _when(inquiry.ended_at),
            label["channel"].get(inquiry.channel, inquiry.channel),
            label["kind"].get(inquiry.kind, inquiry.kind),
            label["language"].get(inquiry.language, inquiry.language),
            inquiry.category.path() if inquiry.category else "",
            inquiry.summary,
            inquiry.answer,
            label["outcome"].get(inquiry.outcome, inquiry.outcome),
            label["status"].get(inquiry.status, inquiry.status),
            _yes(inquiry.callback_needed),
            inquiry.operator.username if inquiry.operator else "",
            " ".join(link.article.external_id for link in inquiry.article_links.all()),
            label["age_band"].get(inquiry.age_band, inquiry.age_band),
            label["gender"].get(inquiry.gender, inquiry.gender),
            label["caller_type"].get(inquiry.caller_type, inquiry.caller_type),
            label["area"].get(inquiry.area, inquiry.area),
            _yes(inquiry.out_of_hours),
            inquiry.satisfaction or "",
            _yes(inquiry.survey_declined),
        ]
        for inquiry in inquiries.iterator(chunk_size=2000)
    )
    return csv_response(f"inquiries-{timezone.localdate():%Y%m%d}.csv", header, rows, streamed=True)
