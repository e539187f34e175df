from django.urls import path

from reports.views import opendata

app_name = "opendata"

urlpatterns = [
    path("open-data/", opendata.open_data, name="index"),
    path("open-data/inquiries.csv", opendata.open_data_csv, name="csv"),
]
