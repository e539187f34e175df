"""The URLs of the internet-facing host (PUBLIC_ONLY=1): what citizens use, and nothing else.

No sign-in, administration, console, Q&A editing, report or personal-data URL is mounted here,
so on this host they do not exist (404) whatever a view's own checks would say. Every view
below reads only the published knowledge and writes only what `contactcenter.public_host`
lets its database role write; tests/test_public_host.py checks both.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import set_language

from contactcenter import views
from knowledgebase.sitemaps import SITEMAPS

# Site-wide, unprefixed: the staff hosts mount these too (contactcenter/urls.py).
SITE = [
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
    path("api/v1/", include("knowledgebase.api_urls")),
]

# Citizens' pages: Japanese at /, other languages under /en/ and so on (the staff hosts mount
# the same list, under the same names).
PAGES = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include("knowledgebase.urls")),
    path("contact/", include("inquiries.public_urls")),
    path("", include("reports.public_urls")),
]

urlpatterns = [*SITE, *i18n_patterns(*PAGES, prefix_default_language=False)]

handler400 = "contactcenter.views.bad_request"
handler403 = "contactcenter.views.permission_denied"
handler404 = "contactcenter.views.page_not_found"
handler500 = "contactcenter.views.server_error"
