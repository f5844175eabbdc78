from __future__ import annotations

from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "microcred_web.wallet"
    label = "wallet"
    verbose_name = "Learner wallet"

    def ready(self) -> None:
        from microcred_web.wallet import checks  # noqa: F401  (registers the system check)
