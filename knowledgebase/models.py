from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contactcenter.accounts.models import Department
from contactcenter.lib.translation import TranslatedNameMixin, translated


class Language(models.TextChoices):
    """Languages a Q&A can be written in (the interface languages are a settings matter)."""

    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")
    CHINESE = "zh-hans", _("Simplified Chinese")
    KOREAN = "ko", _("Korean")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (staff only)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Category(TranslatedNameMixin, models.Model):
    """A two-level topic tree (e.g. ごみ・リサイクル › 粗大ごみ)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name_per_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent=None), name="unique_top_level_category_name"
            ),
        ]

    def __str__(self) -> str:
        return self.path()

    def path(self) -> str:
        """The Japanese path used by import and export: "parent/child"."""
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name


# The text that citizens read or operators say: a change to it is a new text version.
TEXT_FIELDS = ("question", "answer", "phone_script", "keywords", "other_phrasings")
# Q&As whose review date falls within this period count as due (a month to revise them).
REVIEW_NOTICE = timedelta(days=30)


class ArticleQuerySet(models.QuerySet):
    def published(self, at: timezone.datetime | None = None) -> ArticleQuerySet:
        """The one definition of "visible to the public now".

        Published, for the public, and inside its publish-from / publish-until dates.
        `Article.is_published()` agrees with it; every public path starts here.
        """
        return self.live(at).filter(audience=Audience.PUBLIC)

    def stale_translations(self) -> ArticleQuerySet:
        """Translations whose Japanese source changed its text since they were published (agrees with
        `Article.is_stale_translation`)."""
        return self.filter(
            translation_of__isnull=False,
            source_content_version__isnull=False,
            translation_of__content_version__gt=models.F("source_content_version"),
        )

    def due_for_review(self, today: date) -> ArticleQuerySet:
        """Not withdrawn, and its review date falls within REVIEW_NOTICE (agrees with is_due_for_review)."""
        return self.exclude(status=Status.ARCHIVED).filter(next_review__lte=today + REVIEW_NOTICE)

    def for_reader(self, language: str) -> ArticleQuerySet:
        """Published Q&As for a reader of `language`: those written in it, and the Japanese ones
        with no published translation into it (pages mark those as Japanese)."""
        return self.shown_in(language, self.published())

    def shown_in(self, language: str, articles: ArticleQuerySet) -> ArticleQuerySet:
        """Of `articles`, those a reader of `language` is shown: written in it, or Japanese with
        no published translation into it (public search, and the console searching in it)."""
        if language == Language.JAPANESE:
            return articles.filter(language=language)
        translated = self.model.objects.published().filter(translation_of=OuterRef("pk"), language=language)
        return articles.filter(Q(language=language) | Q(language=Language.JAPANESE) & ~Exists(translated))

    def most_viewed(self, since: date) -> ArticleQuerySet:
        """Opened at least once on or after `since`, most opened first."""
        return (
            self.annotate(recent_views=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
            .filter(recent_views__gt=0)
            .order_by("-recent_views", "question")
        )

    def live(self, at: timezone.datetime | None = None) -> ArticleQuerySet:
        """Published and inside its dates, whatever the audience (what operators answer from)."""
        at = at or timezone.now()
        return self.filter(
            Q(publish_from__isnull=True) | Q(publish_from__lte=at),
            Q(publish_until__isnull=True) | Q(publish_until__gt=at),
            status=Status.PUBLISHED,
        )


def _member_of_staff(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class Edited(models.Model):
    """Who created and last changed a row, and when (set by the services)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = _member_of_staff(_("created by"))
    updated_by = _member_of_staff(_("updated by"))

    class Meta:
        abstract = True


class Article(Edited):
    """A Q&A: what citizens ask and the city's answer."""

    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(
        _("answer"),
        help_text=_(
            "Plain text: blank lines separate paragraphs, lines starting with “- ” make a list, "
            "lines starting with “|” make a table, [label](https://…) makes a link."
        ),
    )
    phone_script = models.TextField(
        _("phone script"), blank=True, help_text=_("What an operator says on the phone (staff only).")
    )
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    other_phrasings = models.TextField(
        _("other phrasings"),
        blank=True,
        help_text=_("Other ways citizens ask the same thing, one per line. Searched like the question."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.JAPANESE
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_from = models.DateTimeField(_("publish from"), null=True, blank=True)
    publish_until = models.DateTimeField(_("publish until"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    changes_with_fiscal_year = models.BooleanField(
        _("changes with the fiscal year"),
        default=False,
        help_text=_("Rules, fees or dates that may change every April: review it each March."),
    )
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Counts changes to the text only (not to the status), so translations know when they fell behind.
    content_version = models.PositiveIntegerField(_("text version"), default=1, editable=False)
    source_content_version = models.PositiveIntegerField(
        _("translated from text version"), null=True, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()
    # Every saved version, with who saved it (set by the services), for history and restore.
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at"],
        verbose_name=_("Q&A version"),
        verbose_name_plural=_("Q&A versions"),
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("Q&A")
        verbose_name_plural = _("Q&As")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="unique_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "audience", "language"]),
            # A Q&A page's published translations and the published Q&As of its topic.
            models.Index(fields=["translation_of", "status", "audience"], name="article_translations_live"),
            models.Index(fields=["category", "status", "audience", "language"], name="article_topic_live"),
        ]
        permissions = [("publish_article", _("Can publish, send back and withdraw Q&As"))]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("knowledgebase:article", args=[self.pk])

    def is_live(self, at: timezone.datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.publish_from is None or self.publish_from <= at)
            and (self.publish_until is None or self.publish_until > at)
        )

    def is_published(self, at: timezone.datetime | None = None) -> bool:
        """Agrees with `Article.objects.published()`."""
        return self.audience == Audience.PUBLIC and self.is_live(at)

    def text(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in TEXT_FIELDS)

    def note_text_change(self, previous: tuple[str, ...]) -> None:
        """A new text version when the text differs from `previous` (status changes are not text)."""
        if previous != self.text():
            self.content_version += 1

    def catch_up_with_source(self) -> None:
        """A translation being published now matches its Japanese source's current text."""
        if self.translation_of_id:
            self.source_content_version = self.translation_of.content_version

    def prepare_to_publish(self, today: date) -> None:
        """What publishing does besides the status: a due review date starts again (the Q&A was
        reviewed now) and a translation matches its source's current text."""
        if self.next_review is None or self.next_review <= today:
            self.next_review = self.default_next_review(today)
        self.catch_up_with_source()

    def is_stale_translation(self) -> bool:
        """A translation whose Japanese source changed its text after the translation was published."""
        return (
            self.translation_of_id is not None
            and self.source_content_version is not None
            and self.translation_of.content_version > self.source_content_version
        )

    def default_next_review(self, today: date) -> date:
        """A year from today; for rules that change with the fiscal year, the coming 1 March."""
        if self.changes_with_fiscal_year:
            march = date(today.year, 3, 1)
            return march if today < march else date(today.year + 1, 3, 1)
        return today + timedelta(days=365)

    def is_due_for_review(self, today: date) -> bool:
        return self.next_review is not None and self.next_review <= today + REVIEW_NOTICE

    def published_versions(self) -> dict[str, Article]:
        """This Q&A as published now in each language: its Japanese source and its translations."""
        source = self.translation_of or self
        translations = Article.objects.published().filter(translation_of_id=source.pk).only("pk", "language")
        versions = {version.language: version for version in translations}
        if source.is_published():
            versions[source.language] = source
        return versions

    def phrasings(self) -> list[str]:
        return [line.strip() for line in self.other_phrasings.splitlines() if line.strip()]


# What an editor may change in a published Q&A through a pending revision.
REVISED_FIELDS = (
    "question",
    "answer",
    "phone_script",
    "keywords",
    "other_phrasings",
    "category",
    "next_review",
)


class Revision(Edited):
    """Changes to a published Q&A waiting for review; the published text stays live until approved."""

    article = models.OneToOneField(
        Article, verbose_name=_("Q&A"), on_delete=models.CASCADE, related_name="pending_revision"
    )
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"))
    phone_script = models.TextField(_("phone script"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    other_phrasings = models.TextField(_("other phrasings"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    base_version = models.PositiveIntegerField(_("based on version"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")

    def __str__(self) -> str:
        return self.question

    @classmethod
    def start(cls, article: Article) -> Revision:
        """A new revision holding the published text as it is now."""
        revision = cls(article=article, base_version=article.version)
        for name in REVISED_FIELDS:
            setattr(revision, name, getattr(article, name))
        return revision

    def changes(self) -> dict[str, tuple[object, object]]:
        """{field: (published value, revised value)} for the fields this revision changes."""
        return {
            name: (getattr(self.article, name), getattr(self, name))
            for name in REVISED_FIELDS
            if getattr(self.article, name) != getattr(self, name)
        }


class Flag(models.Model):
    """A front-line report that a Q&A is wrong or outdated, for its department to resolve."""

    article = models.ForeignKey(
        Article, verbose_name=_("Q&A"), on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("what is wrong"), max_length=200)
    raised_by = _member_of_staff(_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_by = _member_of_staff(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        indexes = [models.Index(fields=["resolved_at", "article"])]

    def __str__(self) -> str:
        return self.reason


class IndexLog(models.Model):
    """A change that the search index must apply, appended in the same transaction as the change.

    Each host's indexer reads the article's current state when it applies a row, so
    the row only says which article changed.
    """

    class Operation(models.TextChoices):
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")

    article_id = models.BigIntegerField(_("Q&A"))
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("index log entry")
        verbose_name_plural = _("index log")

    def __str__(self) -> str:
        return f"{self.operation} {self.article_id}"


class Synonym(models.Model):
    """Staff vocabulary: words citizens use, expanded at query time to the city's terms."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    synonyms = models.CharField(
        _("synonyms"), max_length=500, help_text=_("Words searched as well, separated by commas.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return f"{self.term} → {self.synonyms}"

    def synonym_list(self) -> list[str]:
        return [word.strip() for word in self.synonyms.replace("、", ",").split(",") if word.strip()]


class SearchLog(models.Model):
    """One search: what was asked (masked), where, how many results, which one was opened."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("Public FAQ")
        OPERATOR = "operator", _("Operator")
        API = "api", _("API")

    query = models.CharField(_("query"), max_length=200)
    # The query's normalised search words (knowledgebase.search.plan.normalized_query), so
    # that the reports group searches asking the same thing in the database.
    normalized = models.CharField(_("normalised words"), max_length=200, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    result_count = models.PositiveIntegerField(_("results"))
    opened_article = models.ForeignKey(
        Article, verbose_name=_("opened Q&A"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("searched at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")

    def __str__(self) -> str:
        return self.query


class DailyViews(models.Model):
    """How often a Q&A's public page was opened on one day (Asia/Tokyo), for "most viewed"."""

    article = models.ForeignKey(
        Article, verbose_name=_("Q&A"), on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="one_view_count_per_day")]
        indexes = [models.Index(fields=["day", "article"])]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"


FEEDBACK_COMMENT_LENGTH = 1000


class Feedback(models.Model):
    """A citizen's answer to "Was this helpful?" on a public Q&A page (no login, comment masked)."""

    article = models.ForeignKey(
        Article, verbose_name=_("Q&A"), on_delete=models.CASCADE, related_name="feedback"
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("page language"), max_length=8, choices=Language.choices)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class SiteNoticeQuerySet(models.QuerySet):
    def active(self, at: timezone.datetime | None = None) -> SiteNoticeQuerySet:
        """Shown now: started, and not yet ended (agrees with `SiteNotice.is_active`)."""
        at = at or timezone.now()
        urgency = models.Case(
            models.When(level="emergency", then=0), models.When(level="warning", then=1), default=2
        )
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at).order_by(
            urgency, "-starts_at"
        )


class SiteNotice(models.Model):
    """A notice at the top of every public page while active: a disaster, an outage, holiday hours."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Important")
        EMERGENCY = "emergency", _("Emergency")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    body = models.TextField(_("text (Japanese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_zh_hans = models.TextField(_("text (Chinese)"), blank=True)
    body_ko = models.TextField(_("text (Korean)"), blank=True)
    link = models.URLField(
        _("link"), blank=True, help_text=_("Optional: a page with more information (https://…).")
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("shown until"), null=True, blank=True, help_text=_("Leave empty to show it until you end it.")
    )
    created_by = _member_of_staff(_("created by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("site notice version"),
        verbose_name_plural=_("site notice versions"),
    )

    objects = SiteNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")
        indexes = [models.Index(fields=["ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="notice_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_active(self, at: timezone.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)

    def in_language(self, language: str) -> dict[str, str]:
        """Title and text for a reader of `language`, each with the language it is in."""
        title, title_lang = translated(self, "title", language)
        body, body_lang = translated(self, "body", language)
        return {"title": title, "title_lang": title_lang, "body": body, "body_lang": body_lang}


class RelatedQuestions(models.Model):
    """The published Q&As closest to one Q&A by its question, found by search in the background
    (run_indexer), so a page shows them with one read instead of a search."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("Q&A"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="related_questions",
    )
    ids = models.JSONField(_("related Q&As"), default=list)
    text_version = models.PositiveIntegerField(_("for text version"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("related Q&As")
        verbose_name_plural = _("related Q&As")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.ids}"


class QuestionVector(models.Model):
    """A question's sentence vector (search/sentences.py), computed by run_indexer in the
    background; `key` hashes the model and the question it was computed from."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("Q&A"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="question_vector",
    )
    key = models.CharField(_("question key"), max_length=64, db_index=True)
    vector = models.BinaryField(_("vector"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("question vector")
        verbose_name_plural = _("question vectors")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.key}"
