from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cplan.plans"
    verbose_name = "Plans and accountability"
