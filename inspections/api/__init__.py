"""The read-only JSON API (/api/v1/, issue 24): the list pages' rows, their filters and their provenance, for
notebooks and dashboards. Built with django-ninja on the list selectors (inspections/facts/selectors.py), so the
page, its CSV and the API cannot disagree. README "JSON API"."""
