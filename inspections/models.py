"""What sendtracker stores.

Two layers:
- `Document` and `SourceLetter`: what was uploaded and every letter the parser
  found in it (the parsed facts as JSON, with character spans). Nothing here is
  ever merged or guessed.
- The fact tables (`Inspection`, `WrittenStatementOfAction`, `Revisit`,
  `SignificantWeakness`, `ProgressJudgement`): a projection of an area's source
  letters, reconciled by natural key (see inspections/pipeline/write.py), so
  ingesting letters in any order, or twice, gives the same rows.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspections.themes.taxonomy import CHOICES as THEME_CHOICES


class Framework(models.TextChoices):
    F2016 = "2016", "2016–2022 framework"
    F2023 = "2023", "2023 framework"


class SourceKind(models.TextChoices):
    LETTER = "letter", "Inspection letter or report"
    # Ofsted's own per-area figures (inspections/datasets/): primary like a letter for dates, outcomes and counts.
    OFFICIAL = "official", "Ofsted official statistics / management information"
    SECONDARY = "secondary", "Secondary source (council report)"


class Document(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        NEEDS_REVIEW = "needs_review", "Needs review"
        FAILED = "failed", "Failed"
        REJECTED = "rejected", "Rejected (not a SEND inspection document)"
        DUPLICATE = "duplicate", "Duplicate"

    file = models.FileField(upload_to="documents/%Y/%m/", max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, help_text="Why the document failed or was rejected, in plain words.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="0–100 while processing.")
    parser_version = models.CharField(max_length=32, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Where a fetched document came from and the publication date the publisher's listing states
    # (inspections/ingest/sources/). Empty for uploads; published_date may also come from the text later.
    source_url = models.URLField(max_length=500, blank=True)
    published_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One stored copy per content; a re-upload is recorded as a duplicate row pointing at it.
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(status="duplicate"), name="document_unique_sha256"
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return self.original_name


class Dataset(models.Model):
    """A stored document that is a dataset (inspections/datasets/): what it is and how current it is. Its rows are
    stored as SourceLetters (one per inspection or revisit a row states), so they are projected with the letters."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="dataset")
    kind = models.CharField(max_length=32, help_text="ofsted_statistics | ofsted_mi | d2i_scrape (a series: a later file of one kind updates an earlier one).")
    title = models.CharField(max_length=200)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices)
    published = models.DateField(null=True, blank=True, help_text="The release date the file states.")
    covers_to = models.DateField(null=True, blank=True, help_text="The latest date the file speaks for.")
    currency = models.CharField(max_length=200, blank=True, help_text="How current it is, in words.")
    licence = models.CharField(max_length=200)
    attribution = models.TextField()
    records = models.PositiveIntegerField(default=0, help_text="Inspections and revisits its rows state.")
    # A table derived from several datasets (the England table shipped with the product): each source it was
    # built from, [{"kind", "title", "source_kind", "published", "covers_to", "currency"}], so the dashboard can say
    # how current each one is.
    parts = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "-published", "-covers_to"]

    def __str__(self) -> str:
        return f"{self.title} ({self.currency})"


# A letter's search vector from its text, as migration 0005's trigger computes it from the letter's span of its
# document ({} is the text); a bulk writer that holds the texts sends them with this (sendtracker.bulk.insert_rows).
LETTER_VECTOR_SQL = "to_tsvector('english'::regconfig, COALESCE({}, ''::text))"


class SourceLetter(models.Model):
    """One letter (or council summary) found inside a document, as parsed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="letters")
    position = models.PositiveSmallIntegerField(help_text="Order of the letter within the document.")
    kind = models.CharField(max_length=32)
    framework = models.CharField(max_length=4, choices=Framework.choices)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.LETTER)
    area = models.ForeignKey("areas.LocalArea", null=True, blank=True, on_delete=models.PROTECT, related_name="source_letters")
    area_name_printed = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True, help_text="sha256 of the normalised letter text.")
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    data = models.JSONField(help_text="The ParsedLetter, as JSON.")
    confidence = models.FloatField(default=1.0)
    needs_review = models.BooleanField(default=False)
    review_reasons = models.JSONField(default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates",
        help_text="Set when the same letter text appears earlier in this document.",
    )
    # The letter's text lives in its document (a span), so no GENERATED column can hold this: PostgreSQL
    # triggers keep it current (migrations 0005, 0015: a writer may give it with the row, as LETTER_VECTOR_SQL of
    # the letter's text). Search ranks on it; NULL on SQLite.
    search_vector = SearchVectorField(
        null=True, blank=True, editable=False,
        help_text="to_tsvector('english', letter text); kept by PostgreSQL triggers (migration 0005), NULL on SQLite.",
    )

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="sourceletter_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.area_name_printed}) in {self.document}"


class VisibleFactManager(models.Manager):
    """The default manager of every fact: rejected facts are left out, so pages, lists, exports and
    search (which all start from `Model.objects`) never show them. Use `Model.all_objects` to see them."""

    def get_queryset(self):
        return super().get_queryset().filter(rejected=False)


class SourcedFact(models.Model):
    """Provenance shared by every extracted fact: where it was read, and how sure we are."""

    source_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.LETTER)
    confidence = models.FloatField(default=1.0)
    needs_review = models.BooleanField(default=False)
    review_reasons = models.JSONField(default=list, blank=True)
    # What an analyst decided: {field: {"value": v, "by": username, "at": iso}}, plus "__rejected__" for a
    # rejected fact. Re-processing never overwrites a locked field (inspections/review/locks.py).
    locked_fields = models.JSONField(default=dict, blank=True)
    # An analyst said this fact is wrong (e.g. a misread weakness): kept so re-processing does not bring it
    # back, hidden from every page and export by the default manager.
    rejected = models.BooleanField(default=False)
    # Read from a dataset (source_document.dataset): the sheet, row (1-based) and column headings it rests on.
    source_sheet = models.CharField(max_length=100, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    source_column = models.CharField(max_length=500, blank=True)
    source_label = models.CharField(max_length=300, blank=True, help_text="The dataset row in words: 'Ofsted official statistics, published 17 November 2022, sheet …, row 34'.")

    objects = VisibleFactManager()
    # Rejected facts too: the writer, the review pages and the admin use it. (Forward relations such as
    # weakness.inspection use Django's plain base manager, so they still reach a rejected parent.)
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def dataset_source(self) -> str:
        """For a fact read from a dataset: 'Ofsted official statistics, published 17 November 2022, sheet …, row 34'."""
        if self.source_row is None:
            return ""
        return self.source_label or f"sheet {self.source_sheet}, row {self.source_row}"

    @property
    def source_text(self) -> str:
        if self.source_document is None or self.span_start is None or self.span_end is None:
            return ""
        return self.source_document.text[self.span_start : self.span_end]


class DatePrecision(models.TextChoices):
    """How precisely a text dates a visit. A month or a year is kept as written (period_text) and never stored as
    a day: durations need day precision; trends may use a month or a year."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Inspection(SourcedFact):
    class Kind(models.TextChoices):
        INITIAL = "initial_inspection", "Initial inspection (2016 framework)"
        FULL = "full_inspection", "Area SEND inspection (2023 framework)"
        # A visit a later report names ("Dates of previous inspection") whose kind it does not state: a 2016
        # initial inspection or a revisit. A record of its own (issue 19 item 4), always a placeholder.
        EARLIER_VISIT = "earlier_visit", "Earlier visit (inspection or revisit, not stated)"

    class Outcome(models.TextChoices):
        WSOA_REQUIRED = "wsoa_required", "Written statement of action required"
        NO_WSOA = "no_wsoa", "No written statement of action"
        POSITIVE = "positive", "Typically positive experiences and outcomes"
        INCONSISTENT = "inconsistent", "Inconsistent experiences and outcomes"
        SYSTEMIC_FAILINGS = "systemic_failings", "Widespread and/or systemic failings"

    area = models.ForeignKey("areas.LocalArea", on_delete=models.PROTECT, related_name="inspections")
    framework = models.CharField(max_length=4, choices=Framework.choices)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    period_text = models.CharField(max_length=100, blank=True, help_text="When only a loose period is known, e.g. 'February and March 2018'.")
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, blank=True,
        help_text="How precisely the text dates the visit: day (start_date holds it), month or year (period_text, as written).",
    )
    letter_date = models.DateField(null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(blank=True)
    lead_inspector = models.CharField(max_length=200, blank=True)
    inspection_team = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=dict, blank=True, help_text="Main findings, strengths and areas for development per section.")
    next_inspection_text = models.CharField(max_length=255, blank=True)
    previous_inspection = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="later_inspections")
    previous_inspection_start = models.DateField(null=True, blank=True)
    previous_inspection_end = models.DateField(null=True, blank=True)
    is_placeholder = models.BooleanField(
        default=False, help_text="Known only from a later document (no letter of its own yet)."
    )
    stated_weaknesses = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="How many significant weaknesses (2016) or areas for priority action (2023) a dataset states; never "
                  "turned into weakness rows, whose words come only from letters.",
    )

    class Meta:
        ordering = ["area__name", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["area", "framework", "kind", "start_date"], name="inspection_natural_key"),
            models.UniqueConstraint(
                fields=["area", "framework", "kind"], condition=Q(start_date__isnull=True), name="inspection_one_undated"
            ),
        ]
        indexes = [models.Index(fields=["framework", "outcome"]), models.Index(fields=["start_date"])]

    def __str__(self) -> str:
        return f"{self.area} {self.get_kind_display()} {self.start_date or self.period_text}"

    @property
    def wsoa_required(self) -> bool | None:
        if self.outcome == self.Outcome.WSOA_REQUIRED:
            return True
        if self.outcome == self.Outcome.NO_WSOA:
            return False
        return None


class WrittenStatementOfAction(SourcedFact):
    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="wsoa")
    required_on = models.DateField(null=True, blank=True, help_text="The letter date that required it.")
    responsible_bodies = models.CharField(max_length=500, blank=True)
    fit_for_purpose_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "written statement of action"
        verbose_name_plural = "written statements of action"

    def __str__(self) -> str:
        return f"WSOA for {self.inspection}"


class Revisit(SourcedFact):
    class Kind(models.TextChoices):
        REVISIT = "revisit", "Revisit (2016 framework)"
        MONITORING = "monitoring_inspection", "Monitoring inspection (2023 framework)"

    class Overall(models.TextChoices):
        SUFFICIENT_ALL = "sufficient_all", "Sufficient progress in every weakness"
        SUFFICIENT_SOME = "sufficient_some", "Sufficient progress in some weaknesses"
        SUFFICIENT_NONE = "sufficient_none", "Sufficient progress in none"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="revisits")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.REVISIT)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    period_text = models.CharField(max_length=100, blank=True, help_text="When only the month or year is stated, as written: 'May 2019'.")
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, blank=True,
        help_text="How precisely the text dates the visit: day (start_date holds it), month or year (period_text, as written).",
    )
    letter_date = models.DateField(null=True, blank=True)
    overall = models.CharField(max_length=32, choices=Overall.choices, blank=True)
    overall_text = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    lead_inspector = models.CharField(max_length=200, blank=True)
    published_date = models.DateField(null=True, blank=True)
    stated_sufficient = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Weaknesses with sufficient progress, as a dataset states.")
    stated_insufficient = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Weaknesses without sufficient progress, as a dataset states.")

    class Meta:
        ordering = ["inspection__area__name", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "start_date"], name="revisit_natural_key"),
            models.UniqueConstraint(
                fields=["inspection", "kind"], condition=Q(start_date__isnull=True), name="revisit_one_undated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.inspection} on {self.start_date}"


class SignificantWeakness(SourcedFact):
    class Kind(models.TextChoices):
        SIGNIFICANT_WEAKNESS = "significant_weakness", "Area of significant weakness"
        PRIORITY_ACTION = "priority_action", "Area for priority action"
        IMPROVEMENT_AREA = "improvement_area", "Area for improvement"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="weaknesses")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.SIGNIFICANT_WEAKNESS)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    responsible_bodies = models.CharField(max_length=500, blank=True)

    class Meta:
        # Django's default plural would be "significant weaknesss" (issue 13 item 9).
        verbose_name_plural = "significant weaknesses"
        ordering = ["inspection_id", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "number"], name="weakness_natural_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class ProgressJudgement(SourcedFact):
    revisit = models.ForeignKey(Revisit, on_delete=models.CASCADE, related_name="judgements")
    weakness = models.ForeignKey(SignificantWeakness, on_delete=models.CASCADE, related_name="judgements")
    sufficient_progress = models.BooleanField(null=True, blank=True)
    text_as_restated = models.TextField(blank=True, help_text="The weakness as the revisit document words it.")
    match_score = models.FloatField(null=True, blank=True, help_text="Fuzzy similarity of the restated weakness to the matched one (0–100).")

    class Meta:
        ordering = ["revisit_id", "weakness__number"]
        constraints = [
            models.UniqueConstraint(fields=["revisit", "weakness"], name="judgement_natural_key"),
        ]

    def __str__(self) -> str:
        return f"{self.weakness}: {self.sufficient_progress}"


class AreaPath(models.Model):
    """An area's derived path, stored: the ONE answer every page, list, export, chart and API reads (issue 19).

    Written only by inspections/paths/services.py from `inspections.paths.derive.derive_path` whenever the area's
    facts change (projection, an analyst's decision, any save of a fact); never edited. `version` is the
    derivation's: a different one is re-derived by `manage.py derive_paths`."""

    area = models.OneToOneField("areas.LocalArea", on_delete=models.CASCADE, primary_key=True, related_name="path")
    stage = models.CharField(max_length=32, db_index=True)
    stage_label = models.CharField(max_length=200)
    coverage = models.CharField(max_length=16, db_index=True)
    path_2016 = models.CharField(max_length=32)
    outcome_2023 = models.CharField(max_length=32)
    wsoa_open = models.BooleanField(null=True, help_text="None: not known (a later step is known, its revisit letter is not held).")
    revisit_overall = models.CharField(max_length=32, blank=True)
    revisit_start = models.DateField(null=True, blank=True)
    weakness_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Weaknesses the latest revisit judges.")
    judged_sufficient = models.PositiveSmallIntegerField(default=0)
    judged_insufficient = models.PositiveSmallIntegerField(default=0)
    judged_unknown = models.PositiveSmallIntegerField(default=0)
    latest_date = models.DateField(null=True, blank=True)
    latest_2016_start = models.DateField(null=True, blank=True)
    latest_2016_outcome = models.CharField(max_length=32, blank=True)
    latest_2023_start = models.DateField(null=True, blank=True)
    latest_2023_outcome = models.CharField(max_length=32, blank=True)
    latest_outcome = models.CharField(max_length=32, blank=True)
    unconfirmed = models.BooleanField(default=False, help_text="A fact the stage rests on awaits review.")
    secondary = models.BooleanField(default=False, help_text="The stage rests on a secondary source.")
    next_kind = models.CharField(max_length=32, blank=True)
    next_due_from = models.DateField(null=True, blank=True)
    next_due_by = models.DateField(null=True, blank=True)
    next_reason = models.CharField(max_length=200, blank=True)
    next_visit = models.JSONField(default=dict, blank=True, help_text="The whole analysis.due.NextVisit, as JSON.")
    steps = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    version = models.CharField(max_length=8)
    derived_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "area path"

    def __str__(self) -> str:
        return f"{self.area_id}: {self.stage_label}"


class FieldCorrection(models.Model):
    """The audit history of analysts' decisions on facts: one row per confirm, correction or rejection.

    Generic over the five fact tables (content type + id) so one query gives a fact's history and one
    table gives the whole audit. `username` is kept beside `user` so the record survives a deleted account.
    """

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirmed"
        CORRECT = "correct", "Corrected"
        REJECT = "reject", "Rejected"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    fact = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=64, blank=True, help_text="Empty for a decision on the whole fact.")
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    note = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="correction_fact_idx")]
        permissions = [("review_fact", "Can confirm, correct or reject extracted facts")]

    def __str__(self) -> str:
        what = f" {self.field}" if self.field else ""
        return f"{self.get_action_display()}{what} by {self.username}"


class FetchRun(models.Model):
    """One run of a report source (inspections/ingest/sources/fetch.py): what it read, found and stored, and
    every error with its reason. A run that could not recognise the publisher's pages is 'failed', never
    'succeeded with 0 new'."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Finished with errors"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted"

    class Failure(models.TextChoices):
        """What kind of trouble a run met, for the sentences of the fetch-runs page and the dashboard."""

        NONE = "", "none"
        LAYOUT = "layout", "the site's page layout changed"
        LISTING = "listing", "the site's search listing could not be used"
        RATE_LIMITED = "rate_limited", "the site kept refusing requests (rate limit)"
        UNREACHABLE = "unreachable", "the site could not be reached"

    source = models.CharField(max_length=32, help_text="The source's name, e.g. 'ofsted'.")
    base_url = models.URLField(max_length=500)
    options = models.JSONField(default=dict, blank=True, help_text="The run's filters (areas, since).")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    pages_read = models.PositiveIntegerField(default=0, help_text="HTML pages requested (a 304 counts).")
    publications_seen = models.PositiveIntegerField(default=0, help_text="SEND publications listed on the pages read.")
    new_documents = models.PositiveIntegerField(default=0, help_text="Files stored and queued by this run.")
    already_held = models.PositiveIntegerField(default=0, help_text="Files unchanged (304) or whose sha256 is held.")
    errors = models.JSONField(default=list, blank=True, help_text='[{"url": ..., "reason": ...}, ...]')
    message = models.TextField(blank=True, help_text="Why the run failed, in plain words.")
    failure_kind = models.CharField(max_length=16, choices=Failure.choices, blank=True, default="")
    process = models.CharField(max_length=200, blank=True, help_text="host:pid of the process running it.")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of a running run.")
    deferred = models.JSONField(default=list, blank=True,
                                help_text='URLs left for the next run, e.g. robots.txt unreadable: [{"url", "reason"}]')
    labels = models.JSONField(default=list, blank=True,
                              help_text='Every publication label seen: [{"label", "count", "action", "new"}]')
    resume_from = models.CharField(max_length=32, blank=True,
                                   help_text="The provider (URN) the next run starts with, when this one stopped early.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} run #{self.pk} ({self.get_status_display()})"


class FetchedUrl(models.Model):
    """What the last successful request of a URL returned: the validators for a conditional request
    (ETag, Last-Modified), the sha256 of a file, and for a provider page the publication links it held
    (re-used when the page answers 304, and compared with the next read to notice a layout change)."""

    url = models.URLField(max_length=500, unique=True)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    links = models.JSONField(default=list, blank=True, help_text="A page's publications, as the source parsed them.")
    checked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


def _digest_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class DigestSubscription(models.Model):
    """An analyst's e-mail digest (inspections/alerts/): how often, and what they follow — everything, regions or
    areas — of newly held visits and (optionally) visits that became overdue. Only items after `started_at` are
    sent; `token` is the unsubscribe link's secret."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest")
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    everything = models.BooleanField(default=False, help_text="All of England (regions and areas are then ignored).")
    regions = models.JSONField(default=list, blank=True, help_text="Regions followed (LocalArea.Region values).")
    areas = models.ManyToManyField("areas.LocalArea", blank=True, related_name="+")
    overdue = models.BooleanField(default=True, help_text="Also visits that became overdue.")
    active = models.BooleanField(default=True)
    token = models.CharField(max_length=64, unique=True, default=_digest_token)
    started_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True, help_text="When a digest was last due (sent or empty).")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} digest of {self.user}"


class DigestDelivery(models.Model):
    """One item sent to one subscription: the digest never sends the same item twice."""

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="deliveries")
    item_key = models.CharField(max_length=160)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [models.UniqueConstraint(fields=["subscription", "item_key"], name="digest_item_once")]
class WeaknessTheme(models.Model):
    """One theme (docs/THEMES.md) of one significant weakness, priority action or area for improvement.

    Written only by inspections/themes/services.py: by the rules (`method` "rules", `method_version` the
    classifier's METHOD_VERSION, `evidence` the words that matched), or by an analyst's correction (`method`
    "analyst"; the decision itself is locked on the weakness as locked_fields["themes"], so re-classification
    keeps it). A weakness has at least one row once classified ("other" when no theme fits).
    """

    class Method(models.TextChoices):
        RULES = "rules", "Keyword rules"
        ANALYST = "analyst", "Analyst"

    weakness = models.ForeignKey(SignificantWeakness, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=32, choices=THEME_CHOICES)
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.RULES)
    method_version = models.CharField(max_length=32, help_text="The classifier's version, or 'analyst'.")
    evidence = models.CharField(max_length=300, blank=True, help_text="The words of the text that decided the theme.")
    classified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["weakness_id", "theme"]
        constraints = [models.UniqueConstraint(fields=["weakness", "theme"], name="weaknesstheme_unique")]
        indexes = [models.Index(fields=["theme", "weakness"], name="weaknesstheme_theme_idx")]

    def __str__(self) -> str:
        return f"{self.theme} ({self.method}) for weakness #{self.weakness_id}"


class ApiToken(models.Model):
    """A per-user key for the JSON API (inspections/api/, README "JSON API"): sent as `Authorization: Bearer
    <key>`, it acts as its user (the user's permissions apply). Only the key's SHA-256 is stored: the admin
    shows the key once, when the token is made; a lost key is replaced by a new token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. 'team notebook'.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="The key's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True, help_text="Untick to revoke the token.")

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"
