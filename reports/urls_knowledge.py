from django.urls import path

from reports.views import knowledge

app_name = "reports"

urlpatterns = [
    path("knowledge/", knowledge.knowledge_report, name="knowledge"),
    path("knowledge/<slug:table>.csv", knowledge.knowledge_csv, name="knowledge_csv"),
]
