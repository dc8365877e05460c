# Run by scripts/serve through `manage.py shell -c`: a demo analyst for the local server.
# Created only when DEBUG is on or SENDTRACKER_DEMO_LOGIN=1 (which scripts/serve sets, serving with DEBUG off),
# so a production deployment (DEBUG off, no such variable) cannot get a known password this way.
#
# The password is published (README), so the login holds only what an analyst needs: the 'analyst' group
# (upload, re-process, review through the review contract). It is neither staff nor superuser, so it cannot
# open the Django admin, add users, edit groups or delete documents and facts (README "Who may do what").
# Earlier versions made it a superuser: running this again takes those rights back.
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

USERNAME, PASSWORD = "analyst", "analyst-demo"

if not (settings.DEBUG or os.environ.get("SENDTRACKER_DEMO_LOGIN") == "1"):
    print("DEBUG is off and SENDTRACKER_DEMO_LOGIN is not 1: no demo login created.")
else:
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(PASSWORD)
    demoted = user.is_staff or user.is_superuser
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.save()
    # Only the group's permissions: none given to the user directly, no other group.
    user.user_permissions.clear()
    user.groups.set([Group.objects.get_or_create(name=getattr(settings, "ANALYST_GROUP", "analyst"))[0]])
    if demoted:
        print(f"User {USERNAME} was an administrator: it is now an analyst only (no admin site, users or deletions).")
    print(f"Log in as {USERNAME} / {PASSWORD}" if created or user.check_password(PASSWORD) else f"User {USERNAME} exists (password changed).")
