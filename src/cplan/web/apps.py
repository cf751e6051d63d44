from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cplan.web"
    label = "web"
    verbose_name = "Web pages"
