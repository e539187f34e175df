"""The reports app's actions in the audit log, with their labels."""

from django.utils.translation import gettext_lazy as _

TABLE_EXPORTED = "report_exported"

ACTION_LABELS = {TABLE_EXPORTED: _("Report table downloaded as CSV")}
