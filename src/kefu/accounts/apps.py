from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kefu.accounts"
    label = "accounts"
    verbose_name = _("Organisation and users")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kefu.accounts.idle import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="kefu.accounts.idle.stamp_login")
