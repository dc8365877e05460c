# Run by scripts/serve through `manage.py shell -c`: a demo analyst for the local server.
# Created only when DEBUG is on or SENDTRACKER_DEMO_LOGIN=1 (which scripts/serve sets, serving with DEBUG off),
# so a production deployment (DEBUG off, no such variable) cannot get a known password this way.
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

USERNAME, PASSWORD = "analyst", "analyst-demo"

if not (settings.DEBUG or os.environ.get("SENDTRACKER_DEMO_LOGIN") == "1"):
    print("DEBUG is off and SENDTRACKER_DEMO_LOGIN is not 1: no demo login created.")
else:
    user, created = get_user_model().objects.get_or_create(username=USERNAME, defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_password(PASSWORD)
        user.save()
    # The 'analyst' group carries the upload/review permissions (issue 5); a migration may already have made it.
    user.groups.add(Group.objects.get_or_create(name=getattr(settings, "ANALYST_GROUP", "analyst"))[0])
    print(f"Log in as {USERNAME} / {PASSWORD}" if created or user.check_password(PASSWORD) else f"User {USERNAME} exists (password changed).")
