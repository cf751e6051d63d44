from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "cplan.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
