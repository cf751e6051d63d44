from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cplan.core"
    label = "core"
    verbose_name = "Core"
