from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.i18n import set_language

from contactcenter import staff, views
from knowledgebase.sitemaps import SITEMAPS

admin.site.site_header = _("Contact centre administration")
admin.site.site_title = _("Contact centre")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=10 * 60)(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("display/", views.display_settings, name="display_settings"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include(([path("", staff.home, name="home")], "staff"))),
    path("accounts/", include("contactcenter.accounts.urls")),
    path("admin/", admin.site.urls),
    path("kb/", include("knowledgebase.staff_urls")),
    path("console/", include("inquiries.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("knowledgebase.api_urls")),
]

# Public pages: Japanese at /, other languages under /en/ and so on.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include("knowledgebase.urls")),
    path("contact/", include("inquiries.public_urls")),
    path("", include("reports.public_urls")),
    prefix_default_language=False,
)

handler400 = "contactcenter.views.bad_request"
handler403 = "contactcenter.views.permission_denied"
handler404 = "contactcenter.views.page_not_found"
handler500 = "contactcenter.views.server_error"
