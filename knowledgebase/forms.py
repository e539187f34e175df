from collections import defaultdict

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import Department, User
from knowledgebase.access import can_publish
from knowledgebase.models import (
    FEEDBACK_COMMENT_LENGTH,
    REVISED_FIELDS,
    Article,
    ArticleQuerySet,
    Audience,
    Category,
    Language,
    Revision,
    SiteNotice,
    Status,
    Synonym,
)
from knowledgebase.search.analysis import words_for
from knowledgebase.search.plan import MAX_QUERY_LENGTH


class ApiSearchForm(forms.Form):
    """Parameters of GET /api/v1/faq/search. Long queries are cut, not refused."""

    q = forms.CharField(label=_("query"), strip=True)
    lang = forms.ChoiceField(label=_("language"), choices=Language.choices, required=False)
    limit = forms.IntegerField(label=_("limit"), min_value=1, max_value=50, required=False)
    offset = forms.IntegerField(label=_("offset"), min_value=0, max_value=1000, required=False)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: MAX_QUERY_LENGTH * 5]


class _CategoriesByTopic(forms.models.ModelChoiceIterator):
    """Each topic as a group holding the topic itself and its subtopics, in their set order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        categories = sorted(self.queryset, key=lambda category: (category.order, category.name))
        children: dict[int, list[Category]] = defaultdict(list)
        for category in categories:
            if category.parent_id:
                children[category.parent_id].append(category)
        for topic in (category for category in categories if category.parent_id is None):
            yield (topic.name, [self.choice(topic)] + [self.choice(child) for child in children[topic.pk]])


class CategoryChoiceField(forms.ModelChoiceField):
    """A category, chosen from a list grouped by topic (about 70 entries in a real city)."""

    iterator = _CategoriesByTopic

    def __init__(self, **kwargs: object) -> None:
        kwargs["queryset"] = Category.objects.select_related("parent")
        super().__init__(**kwargs)

    def label_from_instance(self, category: Category) -> str:
        if category.parent_id:
            return category.name
        return _("%(topic)s (the whole topic)") % {"topic": category.name}


EDITED_FIELDS = [
    *REVISED_FIELDS,
    "changes_with_fiscal_year",
    "publish_until",
    "department",
    "language",
    "audience",
]


class ArticleForm(forms.ModelForm):
    """A new Q&A or a draft. `version` is the version the editor opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = EDITED_FIELDS
        field_classes = {"category": CategoryChoiceField}
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 12}),
            "phone_script": forms.Textarea(attrs={"rows": 4}),
            "other_phrasings": forms.Textarea(attrs={"rows": 4}),
            "next_review": forms.DateInput(attrs={"type": "date"}),
            "publish_until": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not can_publish(user):
            # A department writes public Q&As of its own; the centre's internal ones are the supervisors'.
            del self.fields["department"]
            del self.fields["audience"]


class RevisionForm(forms.ModelForm):
    """Changes to a published Q&A, kept aside until a supervisor approves them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The published version the editor had on screen: saving makes it the revision's base.
    live_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Revision
        fields = list(REVISED_FIELDS)
        widgets = ArticleForm.Meta.widgets
        field_classes = ArticleForm.Meta.field_classes


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the reviewer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publish from"),
        required=False,
        help_text=_("Leave empty to publish now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=1000)


class ArticleFilterForm(forms.Form):
    """The filters of the editors' list (GET); anything unexpected is ignored, never a 500."""

    q = forms.CharField(label=_("Words in the question"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), empty_label=_("Any")
    )
    category = CategoryChoiceField(label=_("Category"), required=False, empty_label=_("Any"))
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("Any")), *Audience.choices]
    )
    due = forms.BooleanField(label=_("Due for review"), required=False)
    stale = forms.BooleanField(label=_("Translations behind the Japanese"), required=False)

    def filter(self, articles: ArticleQuerySet) -> ArticleQuerySet:
        self.is_valid()  # an invalid field is left out; the valid ones still filter
        data = dict.fromkeys(self.fields) | self.cleaned_data
        if data["q"]:
            articles = articles.filter(question__icontains=data["q"])
        if data["status"]:
            articles = articles.filter(status=data["status"])
        if data["language"]:
            articles = articles.filter(language=data["language"])
        if data["department"]:
            articles = articles.filter(department=data["department"])
        if data["category"]:
            articles = articles.filter(Q(category=data["category"]) | Q(category__parent=data["category"]))
        if data["audience"]:
            articles = articles.filter(audience=data["audience"])
        if data["due"]:
            articles = articles.due_for_review(timezone.localdate())
        if data["stale"]:
            articles = articles.stale_translations()
        return articles

    def describe(self) -> str:
        """The filters applied (after `filter`), for the audit log: codes and ids."""
        values = getattr(self, "cleaned_data", {})
        return " ".join(
            f"{name}={getattr(value, 'pk', value)}"
            for name, value in values.items()
            if value not in (None, "", False)
        )


class CompareForm(forms.Form):
    """Two versions of a Q&A to compare (history ids)."""

    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args: object, choices: list[tuple[int, int]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = choices


class RestoreForm(forms.Form):
    history_id = forms.IntegerField(widget=forms.HiddenInput)


class SynonymForm(forms.ModelForm):
    """A staff synonym: the city's term and the words citizens use for it."""

    class Meta:
        model = Synonym
        fields = ["term", "synonyms"]

    def clean_term(self) -> str:
        term = self.cleaned_data["term"].strip()
        if not words_for(term, "ja"):
            raise forms.ValidationError(_("This term has no searchable word (only particles or symbols)."))
        return term

    def clean_synonyms(self) -> str:
        words = [
            word.strip()
            for word in self.cleaned_data["synonyms"].replace("、", ",").split(",")
            if word.strip()
        ]
        if not words:
            raise forms.ValidationError(_("Give at least one word, separated by commas."))
        too_long = [word for word in words if len(word) > 50]
        if too_long:
            raise forms.ValidationError(
                _("Each word at most 50 characters: %(words)s") % {"words": ", ".join(too_long)}
            )
        return ", ".join(dict.fromkeys(words))

    def clean(self) -> dict:
        data = super().clean()
        term, synonyms = data.get("term"), data.get("synonyms")
        if term and synonyms and term in [word.strip() for word in synonyms.split(",")]:
            self.add_error("synonyms", _("A term is not its own synonym."))
        return data


class TranslateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[choice for choice in Language.choices if choice[0] != Language.JAPANESE]
    )


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong or outdated?"), max_length=200)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ResolveFlagForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=500)


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the Q&As"), max_length=MAX_QUERY_LENGTH * 5, required=False)
    lang = forms.ChoiceField(label=_("Language"), choices=Language.choices, required=False)


class PublicSearchForm(forms.Form):
    """The public search box (GET). A bad page or category number is ignored, never an error page."""

    q = forms.CharField(
        label=_("What would you like to know?"), required=False, max_length=MAX_QUERY_LENGTH * 5
    )
    category = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=100, widget=forms.HiddenInput)

    def value(self, name: str) -> object:
        self.is_valid()
        return self.cleaned_data.get(name)


class FeedbackForm(forms.Form):
    """ "Was this helpful?" on a public Q&A page: the button pressed, and an optional comment."""

    helpful = forms.ChoiceField(
        label=_("Was this helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": _("Choose “Yes” or “No”.")},
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=FEEDBACK_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What was missing or hard to understand? We cannot reply here: please do not write your "
            "name, address or phone number. To ask a question, call us."
        ),
    )


class SiteNoticeForm(forms.ModelForm):
    """A supervisor's notice: Japanese required, the other languages where written."""

    link = forms.URLField(
        label=SiteNotice._meta.get_field("link").verbose_name,
        help_text=SiteNotice._meta.get_field("link").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = SiteNotice
        fields = [
            "level",
            "title",
            "body",
            "title_en",
            "body_en",
            "title_zh_hans",
            "body_zh_hans",
            "title_ko",
            "body_ko",
            "link",
            "starts_at",
            "ends_at",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "body": forms.Textarea(attrs={"rows": 3}),
            "body_en": forms.Textarea(attrs={"rows": 3}),
            "body_zh_hans": forms.Textarea(attrs={"rows": 3}),
            "body_ko": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        for code in ("en", "zh_hans", "ko"):
            if cleaned.get(f"body_{code}") and not cleaned.get(f"title_{code}"):
                self.add_error(f"title_{code}", _("Give this language a title too, or leave its text empty."))
        return cleaned


class ArticlePageForm(forms.Form):
    """The query string of a public Q&A page: the search it was opened from, the vote just sent."""

    s = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    thanks = forms.ChoiceField(required=False, choices=[("yes", "yes"), ("no", "no")])

    def search_id(self) -> int | None:
        """A bad value (not a number, "²", too large) is ignored like a missing one."""
        self.is_valid()
        return self.cleaned_data.get("s")

    def vote_sent(self) -> str | None:
        self.is_valid()
        return self.cleaned_data.get("thanks") or None
