import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendtracker.settings")

app = Celery("sendtracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live in capability folders (inspections/ingest/tasks.py), not in <app>.tasks.
app.autodiscover_tasks(["inspections.ingest", "inspections.ingest.sources"])
