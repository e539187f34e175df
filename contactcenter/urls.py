from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from contactcenter import views

admin.site.site_header = _("Contact centre administration")
admin.site.site_title = _("Contact centre")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("contactcenter.accounts.urls")),
    path("admin/", admin.site.urls),
    path("kb/", include("knowledgebase.staff_urls")),
    path("api/v1/", include("knowledgebase.api_urls")),
]

# Public pages: Japanese at /, other languages under /en/ and so on.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("knowledgebase.urls")),
    prefix_default_language=False,
)

handler400 = "contactcenter.views.bad_request"
handler403 = "contactcenter.views.permission_denied"
handler404 = "contactcenter.views.page_not_found"
handler500 = "contactcenter.views.server_error"
