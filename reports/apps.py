from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from contactcenter.accounts.audit_labels import register_labels
        from reports.audit import ACTION_LABELS

        register_labels(actions=ACTION_LABELS)
