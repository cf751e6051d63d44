from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "cplan.geography"
    label = "geography"
    verbose_name = "Geography"
