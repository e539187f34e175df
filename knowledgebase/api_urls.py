from django.urls import path

from knowledgebase.views import api

app_name = "api"

urlpatterns = [
    path("faq/search", api.search, name="search"),
    path("faq/suggest", api.suggest, name="suggest"),
    path("faq/articles/<int:pk>", api.article, name="article"),
]
