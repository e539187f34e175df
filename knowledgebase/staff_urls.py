from django.urls import path

from knowledgebase.views import notices, staff

app_name = "kb"

urlpatterns = [
    path("", staff.article_list, name="list"),
    path("new/", staff.article_create, name="create"),
    path("search/", staff.staff_search, name="search"),
    path("export/", staff.article_export, name="export"),
    path("review/", staff.review_queue, name="review"),
    path("flags/", staff.flag_list, name="flags"),
    path("flags/<int:pk>/resolve/", staff.flag_resolve, name="flag_resolve"),
    path("synonyms/", staff.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", staff.synonym_list, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", staff.synonym_delete, name="synonym_delete"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_list, name="notice_edit"),
    path("notices/<int:pk>/end/", notices.notice_end, name="notice_end"),
    path("<int:pk>/", staff.article_detail, name="detail"),
    path("<int:pk>/edit/", staff.article_edit, name="edit"),
    path("<int:pk>/submit/", staff.article_submit, name="submit"),
    path("<int:pk>/send-back/", staff.article_send_back, name="send_back"),
    path("<int:pk>/publish/", staff.article_publish, name="publish"),
    path("<int:pk>/withdraw/", staff.article_withdraw, name="withdraw"),
    path("<int:pk>/history/", staff.article_history, name="history"),
    path("<int:pk>/translate/", staff.article_translate, name="translate"),
    path("<int:pk>/flag/", staff.article_flag, name="flag"),
    path("<int:pk>/preview/", staff.article_preview, name="preview"),
    path("<int:pk>/restore/", staff.article_restore, name="restore"),
]
