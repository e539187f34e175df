from django.urls import path

from inquiries.views import console

app_name = "inquiries"

urlpatterns = [
    path("", console.console, name="console"),
]
