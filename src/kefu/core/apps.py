from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kefu.core"
    label = "core"

    def ready(self):
        from kefu.core import sqlite_types

        sqlite_types.install()
