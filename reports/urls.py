from django.urls import path

from reports.views import dashboard

app_name = "reports"

urlpatterns = [
    path("", dashboard.overview, name="overview"),
    path("first-contact-resolution/", dashboard.first_contact_resolution, name="fcr"),
    path("volume/", dashboard.volume, name="volume"),
    path("callers/", dashboard.callers, name="callers"),
    path("targets/", dashboard.targets, name="targets"),
    path("tables/<slug:slug>.csv", dashboard.table_csv, name="csv"),
]
