from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cplan.frameworks"
    label = "frameworks"
    verbose_name = "National frameworks"
