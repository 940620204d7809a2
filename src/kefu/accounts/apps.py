from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kefu.accounts"
    label = "accounts"
    verbose_name = _("Organisation and users")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kefu.accounts.idle import stamp_login
        from kefu.accounts.security import forget_session_checks

        def checks_again(sender, request, user, **kwargs):
            # Each login proves its second factor anew (kefu.accounts.security).
            if request is not None and hasattr(request, "session"):
                forget_session_checks(request.session)

        user_logged_in.connect(checks_again, dispatch_uid="kefu.accounts.security.checks_again")
        user_logged_in.connect(stamp_login, dispatch_uid="kefu.accounts.idle.stamp_login")
