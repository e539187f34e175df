from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from contactcenter.accounts.audit_labels import register_labels
        from knowledgebase.audit import ACTION_LABELS
        from knowledgebase.models import Status

        register_labels(actions=ACTION_LABELS, states=dict(Status.choices))
