from django.apps import AppConfig


class ConduitConfig(AppConfig):
    name = "setlist.conduit"
    label = "conduit"
    verbose_name = "Conduit"
