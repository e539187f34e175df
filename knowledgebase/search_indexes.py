"""What the search index holds for a Q&A (haystack's SearchIndex for Article)."""

from haystack import indexes

from knowledgebase.models import Article
from knowledgebase.search.analysis import japanese_words
from knowledgebase.search.backend import LANGUAGE_GROUPS, NO_DATE_AFTER, NO_DATE_BEFORE, naive_utc
from knowledgebase.search.boilerplate import split_boilerplate
from knowledgebase.search.sentences import question_key


def document_for(article: Article) -> dict[str, object]:
    """The index document: question and other phrasings, answer, keywords and category names.

    Only the analysed text of the article's own language group is filled. The phone
    script and other staff-only notes are never indexed.
    """
    group = LANGUAGE_GROUPS[article.language]
    category_names = []
    if article.category_id:
        category_names = [article.category.name, article.category.localized_name(article.language)]
        if article.category.parent_id:
            category_names += [
                article.category.parent.name,
                article.category.parent.localized_name(article.language),
            ]
    identifier = f"knowledgebase.article.{article.pk}"
    # Contact blocks and office hours are weighed apart, or every Q&A would answer "when are you open".
    body, contact = split_boilerplate(article.answer)
    document: dict[str, object] = {
        "id": identifier,
        "django_ct": "knowledgebase.article",
        "django_id": str(article.pk),
        "language": article.language,
        "audience": article.audience,
        "status": article.status,
        "category": " ".join(
            str(pk) for pk in (article.category_id, article.category and article.category.parent_id) if pk
        ),
        "publish_from": naive_utc(article.publish_from, NO_DATE_BEFORE),
        "publish_until": naive_utc(article.publish_until, NO_DATE_AFTER),
        "version": article.version,
        f"{group}_question": "\n".join([article.question, *article.phrasings()]),
        f"{group}_answer": body,
        f"{group}_contact": contact,
        f"{group}_keywords": "\n".join([article.keywords, *dict.fromkeys(category_names)]),
    }
    if group == "ja":
        document["ja_terms"] = " ".join(japanese_words(str(document["ja_question"])))
        document["question_key"] = question_key(article.question)
        document["ja_groups"] = document["ja_compounds"] = "\n".join(
            [document["ja_question"], document["ja_keywords"], body]
        )
    return document


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using: str | None = None):
        """What the index holds: every live Q&A, public and internal (dates filtered at query time)."""
        return Article.objects.filter(status="published").select_related("category__parent")

    def full_prepare(self, obj: Article) -> dict[str, object]:
        return document_for(obj)
