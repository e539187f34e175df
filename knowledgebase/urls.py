from django.urls import path

from knowledgebase.views import public

app_name = "knowledgebase"

urlpatterns = [
    path("faq/<int:pk>/", public.article, name="article"),
    path("faq/<int:pk>/feedback/", public.feedback, name="feedback"),
    path("search/", public.search, name="search"),
    path("category/<int:pk>/", public.category, name="category"),
]
