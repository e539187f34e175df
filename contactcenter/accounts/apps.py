from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "contactcenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from contactcenter.accounts import services, signin, two_factor
        from contactcenter.accounts.audit_labels import register_labels
        from contactcenter.accounts.audit_log import ACTION_LABELS as AUDIT_LOG_LABELS
        from contactcenter.accounts.roles import Role

        register_labels(actions=AUDIT_LOG_LABELS)
        register_labels(actions=signin.ACTION_LABELS)
        register_labels(actions=two_factor.ACTION_LABELS)
        # Role changes name the role (its Group's name) as the state before or after.
        register_labels(actions=services.ACTION_LABELS, states=dict(Role.choices))
        user_logged_in.connect(signin.record_sign_in, dispatch_uid="audit_sign_in")
        user_login_failed.connect(signin.record_sign_in_failure, dispatch_uid="audit_sign_in_failure")
