"""The Django admin for the knowledge base: a read-only view of Q&As and logs.

Q&As are written through the editorial pages and `knowledgebase.services`, which log every
change for the search index in the same transaction; a save here would bypass both.
Categories are saved through the same service, so a rename reaches the index.
"""

from django.contrib import admin
from django.http import HttpRequest

from contactcenter.lib.admin import ReadOnlyAdmin
from knowledgebase import services
from knowledgebase.models import Article, Category, IndexLog, SearchLog, Synonym


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "question", "language", "status", "audience", "department", "updated_at"]
    list_filter = ["status", "language", "audience", "department"]
    search_fields = ["external_id", "question", "keywords"]
    list_select_related = ["department"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "name_en", "order"]
    search_fields = ["name", "name_en"]
    list_select_related = ["parent"]

    def save_model(self, request: HttpRequest, obj: Category, form: object, change: bool) -> None:
        services.save_category(category=obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # Q&As keep their category; retire one by moving its Q&As first


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "synonyms", "updated_at"]
    search_fields = ["term", "synonyms"]


@admin.register(IndexLog)
class IndexLogAdmin(ReadOnlyAdmin):
    list_display = ["id", "article_id", "operation", "created_at"]


@admin.register(SearchLog)
class SearchLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "query", "language", "channel", "result_count", "opened_article"]
    list_filter = ["channel", "language"]
    search_fields = ["query"]
