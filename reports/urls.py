from django.urls import path

from reports.views import dashboard, knowledge

app_name = "reports"

urlpatterns = [
    path("", dashboard.overview, name="overview"),
    path("first-contact-resolution/", dashboard.first_contact_resolution, name="fcr"),
    path("volume/", dashboard.volume, name="volume"),
    path("callers/", dashboard.callers, name="callers"),
    path("knowledge/", knowledge.knowledge_report, name="knowledge"),
    path("knowledge/<slug:table>.csv", knowledge.knowledge_csv, name="knowledge_csv"),
    path("targets/", dashboard.targets, name="targets"),
    path("tables/<slug:slug>.csv", dashboard.table_csv, name="csv"),
]
