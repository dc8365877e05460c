from django.contrib import admin

from .models import SourceLetter

from . import admin_documents  # noqa: E402,F401  Document's admin: upload, status, re-process
from . import admin_review  # noqa: E402,F401  the facts (rejected ones too) and the correction audit

admin.site.register(SourceLetter)
