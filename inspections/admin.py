from django.contrib import admin

from .models import Document, Inspection, ProgressJudgement, Revisit, SignificantWeakness, SourceLetter, WrittenStatementOfAction

for model in (Document, SourceLetter, Inspection, WrittenStatementOfAction, Revisit, SignificantWeakness, ProgressJudgement):
    admin.site.register(model)
