from django.contrib import admin

from .models import LocalArea

admin.site.register(LocalArea)
