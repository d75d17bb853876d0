from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "setlist.core"
    label = "core"
    verbose_name = "Core"
