from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from contactcenter.accounts.audit_labels import register_labels
        from inquiries.audit import ACTION_LABELS
        from inquiries.models import InquiryStatus

        register_labels(actions=ACTION_LABELS, states=dict(InquiryStatus.choices))
