from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "setlist.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import (
            schema,  # noqa: F401  (registers the OpenAPI auth extensions)
            signals,  # noqa: F401  (welcome mail, cached permissions)
        )
