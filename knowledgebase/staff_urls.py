from django.urls import path

from knowledgebase.views import articles, flags, notices, review, staff_search, synonyms

app_name = "kb"

urlpatterns = [
    path("", articles.article_list, name="list"),
    path("new/", articles.article_create, name="create"),
    path("search/", staff_search.staff_search, name="search"),
    path("export/", articles.article_export, name="export"),
    path("review/", review.review_queue, name="review"),
    path("flags/", flags.flag_list, name="flags"),
    path("flags/<int:pk>/resolve/", flags.flag_resolve, name="flag_resolve"),
    path("synonyms/", synonyms.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", synonyms.synonym_list, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", synonyms.synonym_delete, name="synonym_delete"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_list, name="notice_edit"),
    path("notices/<int:pk>/end/", notices.notice_end, name="notice_end"),
    path("<int:pk>/", articles.article_detail, name="detail"),
    path("<int:pk>/edit/", articles.article_edit, name="edit"),
    path("<int:pk>/submit/", review.article_submit, name="submit"),
    path("<int:pk>/send-back/", review.article_send_back, name="send_back"),
    path("<int:pk>/publish/", review.article_publish, name="publish"),
    path("<int:pk>/withdraw/", review.article_withdraw, name="withdraw"),
    path("<int:pk>/history/", articles.article_history, name="history"),
    path("<int:pk>/translate/", articles.article_translate, name="translate"),
    path("<int:pk>/flag/", flags.article_flag, name="flag"),
    path("<int:pk>/preview/", articles.article_preview, name="preview"),
    path("<int:pk>/restore/", review.article_restore, name="restore"),
    path("<int:pk>/revision/live-changes/", articles.revision_live_changes, name="revision_live_changes"),
    path("<int:pk>/revision/discard/", articles.revision_discard, name="revision_discard"),
]
