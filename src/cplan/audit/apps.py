from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cplan.audit"
    label = "audit"
    verbose_name = "Audit recommendations"
