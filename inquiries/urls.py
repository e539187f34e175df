from django.urls import path

from inquiries.views import console, lists, lookup, surveys

app_name = "inquiries"

urlpatterns = [
    path("", console.console, name="console"),
    path("search/", console.console_search, name="console_search"),
    path("<int:pk>/survey/", console.console_survey, name="console_survey"),
    path("mine/", lists.my_inquiries, name="mine"),
    path("inquiries/", lists.inquiry_list, name="list"),
    path("inquiries/export.csv", lists.inquiry_export, name="export"),
    path("inquiries/<int:pk>/", lists.inquiry_detail, name="detail"),
    path("inquiries/<int:pk>/edit/", lists.inquiry_edit, name="edit"),
    path("inquiries/<int:pk>/contact/", lists.inquiry_contact, name="contact"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_list, name="survey_edit"),
    path("surveys/<int:pk>/delete/", surveys.survey_delete, name="survey_delete"),
    path("inquiries/find/", lookup.find_by_reference_view, name="find"),
]
