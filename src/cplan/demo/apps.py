from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cplan.demo"
    label = "demo"
    verbose_name = "Demo data"
