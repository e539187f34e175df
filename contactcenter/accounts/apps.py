from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "contactcenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from contactcenter.accounts.audit_labels import register_labels
        from contactcenter.accounts.audit_log import ACTION_LABELS

        register_labels(actions=ACTION_LABELS)
