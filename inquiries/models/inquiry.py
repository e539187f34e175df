"""Inquiries: every contact with a citizen, what was asked, what the centre answered and how it
ended; the caller's contact details apart, only when the centre must reach them again."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contactcenter.lib import hours
from knowledgebase.models import Article, Category, SearchLog

if TYPE_CHECKING:
    from contactcenter.accounts.models import User


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Walk-in")
    WEB = "web", _("Web form")


# Channels whose handling time (received to ended) is a conversation.
SPOKEN_CHANNELS = (Channel.PHONE, Channel.VISIT)
# Channels that arrive in writing and wait in the queue until someone takes them.
WRITTEN_CHANNELS = (Channel.EMAIL, Channel.FAX, Channel.LETTER, Channel.WEB)

# An inquiry's reference: what a citizen quotes and staff look up. Ten characters of Crockford's
# base32 (no I, L, O or U to misread): 32**10, about 10**15, so nobody guesses or counts them.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PATTERN = r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}"


def format_reference(characters: str) -> str:
    return f"{characters[:4]}-{characters[4:8]}-{characters[8:10]}"


def new_reference() -> str:
    return format_reference("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10)))


def normalize_reference(typed: str) -> str:
    """A reference as typed (any case, spaces, full-width, misread letters) in its stored form."""
    text = unicodedata.normalize("NFKC", typed).upper()
    text = text.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))
    characters = "".join(c for c in text if c in REFERENCE_ALPHABET)
    return format_reference(characters) if len(characters) == 10 else ""


class InquiryLanguage(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")
    CHINESE = "zh-hans", _("Simplified Chinese")
    KOREAN = "ko", _("Korean")
    OTHER = "other", _("Other language")


class Kind(models.TextChoices):
    """The five kinds Kawasaki's centre counts."""

    QUESTION = "question", _("Question")
    CONSULTATION = "consultation", _("Consultation")
    REQUEST = "request", _("Request")
    PROPOSAL = "proposal", _("Proposal")
    COMPLAINT = "complaint", _("Complaint")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved by the centre")
    ESCALATED = "escalated", _("Escalated to a department")
    TRANSFERRED = "transferred", _("Transferred to a department")
    ABANDONED = "abandoned", _("No inquiry (hung up, silent, wrong number)")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting (department or callback)")
    CLOSED = "closed", _("Closed")


class AgeBand(models.TextChoices):
    TEENS = "10s", _("Under 20")  # under-tens count here too
    TWENTIES = "20s", _("20s")
    THIRTIES = "30s", _("30s")
    FORTIES = "40s", _("40s")
    FIFTIES = "50s", _("50s")
    SIXTIES = "60s", _("60s")
    SEVENTIES = "70s", _("70s")
    EIGHTIES_PLUS = "80s_plus", _("80 or over")
    UNKNOWN = "unknown", _("Unknown")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class CallerType(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    NON_RESIDENT = "non_resident", _("Not a resident")
    TOURIST = "tourist", _("Tourist")
    BUSINESS = "business", _("Business")
    UNKNOWN = "unknown", _("Unknown")


class ReplyMethod(models.TextChoices):
    """How a citizen wants the answer (the contact form asks; the queue shows it)."""

    EMAIL = "email", _("By e-mail")
    PHONE = "phone", _("By phone")
    FAX = "fax", _("By fax")
    POST = "post", _("By post")
    NONE = "none", _("No reply needed")


UNKNOWN = "unknown"


def city_areas() -> list[tuple[str, str]]:
    """The city's wards (or districts) from CITY_AREAS ("code:name,…"), then "unknown"."""
    areas = []
    for entry in settings.CITY_AREAS:
        code, _sep, name = entry.partition(":")
        if code.strip():
            areas.append((code.strip(), name.strip() or code.strip()))
    return [*areas, (UNKNOWN, str(_("Unknown")))]


# First-contact resolution (一次回答率), the one definition every figure uses. Kawasaki's
# centre defines it as "of the inquiries, consultations, requests, proposals and complaints
# received, the share whose answer the centre itself completed". So: resolved ÷ (resolved +
# escalated + transferred), over inquiries that have an outcome; `abandoned` calls are no
# inquiry at all, and open ones are counted apart ("n still open").
FCR_RESOLVED = (Outcome.RESOLVED,)
FCR_PASSED_ON = (Outcome.ESCALATED, Outcome.TRANSFERRED)


@dataclass(frozen=True)
class FirstContactResolution:
    resolved: int
    passed_on: int
    still_open: int

    @property
    def counted(self) -> int:
        return self.resolved + self.passed_on

    @property
    def rate(self) -> float | None:
        """The share resolved by the centre (0–1), or None when nothing is counted yet."""
        return self.resolved / self.counted if self.counted else None


def received_in(start: datetime, end: datetime) -> Q:
    """Received in [start, end): half-open, so consecutive periods never count one twice."""
    return Q(received_at__gte=start, received_at__lt=end)


def local_days(first: date, last: date) -> tuple[datetime, datetime]:
    """The centre's days `first` to `last`, both included, as a half-open range of moments:
    from `first` 00:00 to the day after `last` 00:00 in the centre's time zone (Asia/Tokyo)."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


# A callback still owed: the caller waits for the centre to call back until the inquiry closes.
OPEN_CALLBACK = Q(callback_needed=True) & ~Q(status=InquiryStatus.CLOSED)
# An e-mail, fax, letter or web message someone still has to answer.
OPEN_WRITTEN = Q(channel__in=WRITTEN_CHANNELS) & ~Q(status=InquiryStatus.CLOSED)


class InquiryQuerySet(models.QuerySet):
    def received_between(self, start: datetime, end: datetime) -> InquiryQuerySet:
        """Received in [start, end): half-open, so consecutive periods never count one twice."""
        return self.filter(received_in(start, end))

    def received_on(self, first: date, last: date) -> InquiryQuerySet:
        """Received on the centre's days `first` to `last` (Asia/Tokyo), both included."""
        return self.received_between(*local_days(first, last))

    def handled_by(self, user: User) -> InquiryQuerySet:
        """Taken by this person or assigned to them."""
        return self.filter(Q(operator=user) | Q(assigned_to=user))

    def open_callbacks(self) -> InquiryQuerySet:
        return self.filter(OPEN_CALLBACK)

    def open_written(self) -> InquiryQuerySet:
        return self.filter(OPEN_WRITTEN)

    def unassigned_queue(self) -> InquiryQuerySet:
        """Open written inquiries (e-mail, fax, letter, web) nobody has taken yet, oldest first."""
        return self.filter(
            status=InquiryStatus.OPEN,
            channel__in=WRITTEN_CHANNELS,
            operator__isnull=True,
            assigned_to__isnull=True,
        ).order_by("received_at", "pk")

    def first_contact_resolution(self) -> FirstContactResolution:
        """First-contact resolution of these inquiries, computed in the database (one query)."""
        counts = self.aggregate(
            resolved=Count("pk", filter=Q(outcome__in=FCR_RESOLVED)),
            passed_on=Count("pk", filter=Q(outcome__in=FCR_PASSED_ON)),
            still_open=Count("pk", filter=Q(outcome="")),
        )
        return FirstContactResolution(**counts)


def is_out_of_hours(received_at: datetime) -> bool:
    """Received while the centre was closed (its hours and closed days, Asia/Tokyo)."""
    return not hours.is_open_at(received_at)


class Inquiry(models.Model):
    """One contact: a call, a fax, an e-mail, a letter, a visit or a web form."""

    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    language = models.CharField(
        _("language"), max_length=8, choices=InquiryLanguage.choices, default=InquiryLanguage.JAPANESE
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.QUESTION)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    summary = models.TextField(
        _("what was asked"), blank=True, help_text=_("In your own words; no names, numbers or addresses.")
    )
    answer = models.TextField(_("what the centre answered"), blank=True)
    articles = models.ManyToManyField(
        Article, verbose_name=_("Q&As used"), through="InquiryArticle", related_name="inquiries", blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    callback_needed = models.BooleanField(_("callback needed"), default=False)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries_taken",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries_assigned",
    )
    out_of_hours = models.BooleanField(_("out of hours"), default=False, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The caller's score, 1 (poor) to 5 (very good)."),
    )
    survey_declined = models.BooleanField(_("declined the survey"), default=False)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, default=UNKNOWN)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=UNKNOWN)
    caller_type = models.CharField(_("caller"), max_length=15, choices=CallerType.choices, default=UNKNOWN)
    area = models.CharField(_("area"), max_length=40, default=UNKNOWN)
    # Given to every inquiry when it is first saved (rows older than references have none).
    reference = models.CharField(  # noqa: DJ001 (NULL, not "", for the many without one: unique)
        _("reference"), max_length=12, unique=True, null=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set when the console form opens: a form posted twice saves one inquiry.
    form_token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "form_token"],
        verbose_name=_("inquiry version"),
        verbose_name_plural=_("inquiry versions"),
    )
    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        permissions = [
            ("view_all_inquiries", _("Can see every inquiry")),
            ("export_inquiries", _("Can download inquiries as CSV")),
            ("assign_inquiries", _("Can assign queued inquiries")),
        ]
        indexes = [
            models.Index(fields=["operator", "-received_at"]),
            models.Index(fields=["status", "channel", "received_at"]),
            models.Index(fields=["outcome", "received_at"]),
            # The reports' rollup recounts the days of inquiries changed since it last ran.
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return _("Inquiry %(number)s") % {"number": self.pk}

    def save(self, *args: object, **kwargs: object) -> None:
        # Derived, never typed: the centre's hours decide it.
        self.out_of_hours = is_out_of_hours(self.received_at)
        if self.pk is None and not self.reference:
            self.reference = new_reference()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "received_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "out_of_hours"}
        super().save(*args, **kwargs)

    def escalation_pending(self) -> bool:
        """Escalated (at the console or on the edit page) but not yet sent to any department."""
        return self.outcome == Outcome.ESCALATED and not self.escalations.exists()

    def is_written(self) -> bool:
        return self.channel in WRITTEN_CHANNELS

    @property
    def counts_for_first_contact_resolution(self) -> bool:
        return self.outcome in (*FCR_RESOLVED, *FCR_PASSED_ON)

    @property
    def resolved_at_first_contact(self) -> bool | None:
        """True or False for an inquiry that counts (the queryset rule); None for one that does
        not (still open, or no inquiry after all)."""
        if not self.counts_for_first_contact_resolution:
            return None
        return self.outcome in FCR_RESOLVED

    @property
    def handling_time(self) -> timedelta | None:
        """For phone calls and visits: how long it took, from received to ended."""
        if self.channel not in SPOKEN_CHANNELS or self.ended_at is None:
            return None
        return self.ended_at - self.received_at

    def is_closed(self) -> bool:
        return self.status == InquiryStatus.CLOSED

    def has_open_callback(self) -> bool:
        """The instance side of OPEN_CALLBACK (the queryset rule)."""
        return self.callback_needed and not self.is_closed()


class InquiryArticle(models.Model):
    """A Q&A used to answer an inquiry, in the order used, and the search that found it."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="inquiry_links")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    search = models.ForeignKey(
        SearchLog,
        verbose_name=_("found by the search"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["inquiry", "position"]
        verbose_name = _("Q&A used")
        verbose_name_plural = _("Q&As used")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "article"], name="one_link_per_article_per_inquiry")
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} → {self.article_id}"


class CallerContact(models.Model):
    """How to reach a citizen again (personal data): only when the centre must contact them.

    Read only through inquiries.access, every read and change audited by ids alone.
    """

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    reply_by = models.CharField(_("how to reply"), max_length=10, choices=ReplyMethod.choices, blank=True)
    purpose = models.CharField(_("why we contact them"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("caller's contact")
        verbose_name_plural = _("callers' contacts")

    def __str__(self) -> str:
        # Never the data itself: this string reaches logs and the audit trail.
        return _("Contact for inquiry %(number)s") % {"number": self.inquiry_id}

    def is_empty(self) -> bool:
        return not any((self.name, self.phone, self.email, self.fax, self.postal_address))


class SurveyPeriodQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> SurveyPeriodQuerySet:
        day = on or timezone.localdate()
        return self.filter(first_day__lte=day, last_day__gte=day)


class SurveyPeriod(models.Model):
    """Days on which operators ask each phone caller for a 1–5 score (Kawasaki: a week, three
    times a year). Days are Asia/Tokyo dates, both included."""

    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SurveyPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-first_day"]
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="survey_days_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot come before the first day.")})

    def is_active(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.first_day <= day <= self.last_day
