"""The demo loader app: `kefu demo` and the data it loads."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Registers the `demo` management command."""

    name = "kefu.demo"
    label = "demo"
