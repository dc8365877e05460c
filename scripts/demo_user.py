# Run by scripts/serve through `manage.py shell -c`: a demo analyst for the local, DEBUG-only server.
# Never created when DEBUG is off, so a production database cannot get a known password this way.
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

USERNAME, PASSWORD = "analyst", "analyst-demo"

if not settings.DEBUG:
    print("DEBUG is off: no demo login created.")
else:
    user, created = get_user_model().objects.get_or_create(username=USERNAME, defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_password(PASSWORD)
        user.save()
    # The 'analyst' group carries the upload/review permissions (issue 5); a migration may already have made it.
    user.groups.add(Group.objects.get_or_create(name=getattr(settings, "ANALYST_GROUP", "analyst"))[0])
    print(f"Log in as {USERNAME} / {PASSWORD}" if created or user.check_password(PASSWORD) else f"User {USERNAME} exists (password changed).")
