from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cplan.indicators"
    label = "indicators"
    verbose_name = "Indicators and observations"
