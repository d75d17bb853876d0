from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "setlist.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import lookups  # noqa: F401 - registers `__any_of`
