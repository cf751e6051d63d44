"""The National Performance Framework: national outcomes and national indicators."""

from __future__ import annotations

from django.db import models


class NationalOutcome(models.Model):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    statement = models.TextField(blank=True, help_text="The outcome as the framework words it.")
    framework = models.CharField(max_length=40, default="NPF 2018")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NationalIndicator(models.Model):
    name = models.CharField(max_length=200, unique=True)
    outcome = models.ForeignKey(
        NationalOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    breakdowns = models.JSONField(default=list, blank=True, help_text="Characteristics published.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
