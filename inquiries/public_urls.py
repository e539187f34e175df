"""The public contact form, under the public site's language prefixes (/contact/, /en/contact/, …)."""

from django.urls import path

from inquiries.views import contact_form

app_name = "contact"

urlpatterns = [
    path("", contact_form.contact_form, name="form"),
    path("thanks/", contact_form.contact_thanks, name="thanks"),
]
