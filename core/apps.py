"""App config of core: it owns one table, the shared rate-limit buckets (core.ratelimit)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Core"
