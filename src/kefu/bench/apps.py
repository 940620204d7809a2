from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "kefu.bench"
    label = "bench"
