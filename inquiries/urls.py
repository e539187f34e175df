from django.urls import path

from inquiries.views import console

app_name = "inquiries"

urlpatterns = [
    path("", console.console, name="console"),
    path("search/", console.console_search, name="console_search"),
    path("<int:pk>/survey/", console.console_survey, name="console_survey"),
]
