from django.urls import path

from inquiries.views import console, lists

app_name = "inquiries"

urlpatterns = [
    path("", console.console, name="console"),
    path("mine/", lists.my_inquiries, name="mine"),
    path("inquiries/", lists.inquiry_list, name="list"),
    path("inquiries/export.csv", lists.inquiry_export, name="export"),
    path("inquiries/<int:pk>/", lists.inquiry_detail, name="detail"),
    path("inquiries/<int:pk>/edit/", lists.inquiry_edit, name="edit"),
    path("inquiries/<int:pk>/contact/", lists.inquiry_contact, name="contact"),
]
