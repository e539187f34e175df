from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from contactcenter import staff, urls_public

admin.site.site_header = _("Contact centre administration")
admin.site.site_title = _("Contact centre")

urlpatterns = [
    *urls_public.SITE,
    path("accounts/", include(([path("", staff.home, name="home")], "staff"))),
    path("accounts/", include("contactcenter.accounts.urls")),
    path("admin/", admin.site.urls),
    path("kb/", include("knowledgebase.staff_urls")),
    path("console/", include("inquiries.urls")),
    path("reports/", include("reports.urls")),
    # The public pages, as on the public host (contactcenter/urls_public.py).
    *i18n_patterns(*urls_public.PAGES, prefix_default_language=False),
]

handler400 = "contactcenter.views.bad_request"
handler403 = "contactcenter.views.permission_denied"
handler404 = "contactcenter.views.page_not_found"
handler500 = "contactcenter.views.server_error"
