"""Settings read from the environment.

The embedded default (no environment at all) is SQLite in the project folder
and Celery tasks run in-process, so `python manage.py runserver` works with
nothing else installed. Set DATABASE_URL and REDIS_URL for PostgreSQL and
real workers; the code is the same.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "dev-only-insecure-key-set-SECRET_KEY-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "ninja",  # the JSON API's browsable docs (its templates and static files): inspections/api/
    "axes",  # login throttling: the attempts table, its admin and `axes_reset` (see "Logins" below)
    "areas",
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400 for NUL bytes and other control characters in the address, before any view or query.
    "sendtracker.hygiene.RejectBadAddressMiddleware",
    # CORS for /api/ only, and only for API_CORS_ORIGINS (none by default); answers the preflight itself.
    "inspections.api.middleware.ApiCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view is read-only (PUBLIC_READ), writing (permissions) or needs a login.
    "sendtracker.access.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sendtracker.urls"
WSGI_APPLICATION = "sendtracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # FileSystemStorage that removes a partial file when a save fails (a full disk) — sendtracker/storage.py.
    "default": {"BACKEND": "sendtracker.storage.CleanFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Logins -------------------------------------------------------------------------------------------------------
# Throttling with django-axes: it listens to Django's own authentication (the backend below refuses a locked-out
# login before the password is checked; the user_login_failed signal counts failures), so /accounts/login/ and
# /admin/login/ — and any login form added later — are covered without wrapping views. It records attempts in the
# database (AccessAttempt: shared by every web process, readable in the admin, cleared with
# `manage.py axes_reset`). Every authenticate() call must pass the request (Django's login views do);
# tests log in with force_login, which does not authenticate.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
# What a failure counts against, comma-separated; "a+b" counts the pair. The default locks a username (from any
# address: a guesser spreading over many addresses is stopped too) and an address (one client trying many
# usernames). A misspelt name stops the start here (django-axes would only fail at the first failed login).
AXES_LOCKOUT_PARAMETERS = [
    part.split("+") if "+" in part else part for part in env_list("LOGIN_LOCKOUT_PARAMETERS", "username,ip_address")
]
_unknown = {name for part in AXES_LOCKOUT_PARAMETERS for name in ([part] if isinstance(part, str) else part)} - {
    "username", "ip_address", "user_agent"}
if _unknown:
    raise RuntimeError(f"LOGIN_LOCKOUT_PARAMETERS: unknown {sorted(_unknown)}; use username, ip_address, user_agent")
# The client's address: REMOTE_ADDR, or behind N reverse proxies of ours (LOGIN_TRUSTED_PROXIES=N) the address the
# outermost one saw (sendtracker/accounts.py client_address). X-Forwarded-For is never read without it: a client
# could write any address there and escape the lockout by address.
LOGIN_TRUSTED_PROXIES = int(os.environ.get("LOGIN_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "sendtracker.accounts.client_address"
AXES_RESET_ON_SUCCESS = True  # a successful login forgets that user's earlier typos
# The lockout needs the failures only. A row per successful login (address, browser) is personal data nothing
# here reads: kept only when asked (LOGIN_ACCESS_LOG=1; then prune with `manage.py axes_reset_logs --age DAYS`).
AXES_DISABLE_ACCESS_LOG = not env_bool("LOGIN_ACCESS_LOG", False)
# The cool-off runs from the failure that locked: tries during the lock do not extend it, so the page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sendtracker.accounts.locked_out"  # the site's page, saying for how long

# --- E-mail and password reset ------------------------------------------------------------------------------------
# Password reset is offered (linked from the login page and routed) only when EMAIL_HOST is set: without a mail
# server the page could only pretend to have sent a link. A failure to send is shown to the user
# (sendtracker/accounts.py), never "we've e-mailed you".
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # Django refuses both at once
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds: a dead mail server fails the request, not hangs it
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sendtracker@localhost")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 3600)))  # seconds a reset link works

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Read-only pages open to anyone when true; uploading and reviewing always need the analyst group.
PUBLIC_READ = env_bool("PUBLIC_READ", DEBUG)

# The JSON API (inspections/api/, README "JSON API"): requests a minute per token, or per client address
# without one (0: no limit); browser origins allowed to read it (CORS), none by default.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
# The API's rate-limit counts live in Django's cache. Unset: each process counts its own (the embedded default, one
# process). With several web processes, CACHE_URL (e.g. redis://redis:6379/1: not the broker's db) makes the
# limit one per token across all of them, in Django's own Redis cache backend.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "sendtracker"}}
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS", "")

# Uploads larger than this are refused before they are stored.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Files in one upload request (Django's default is 100); more gets a 400 page that names the limit and suggests a
# .zip or `manage.py import_archive` (sendtracker/errors.py).
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "100"))

# Celery: REDIS_URL unset -> tasks run in-process (eager), so the embedded default needs no broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
# Redis must not redeliver a task that is still running: keep this above the hard limit.
# (Tests that kill a worker mid-task lower it through CELERY_VISIBILITY_TIMEOUT to see the redelivery quickly.)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT * 4)))
}
# Documents: the beat job re-queues one stuck in "processing" past the hard limit, up to this many attempts,
# and re-sends one still "queued" after this long (its broker message was lost).
DOCUMENT_MAX_ATTEMPTS = int(os.environ.get("DOCUMENT_MAX_ATTEMPTS", "3"))
DOCUMENT_QUEUED_STALE_SECONDS = int(os.environ.get("DOCUMENT_QUEUED_STALE_SECONDS", "900"))
# Transient errors (database, storage): the first retry waits about this long, each next one twice as long, up to
# the cap (inspections/ingest/tasks.py retry_countdown). The defaults span 18-36 minutes over eight retries.
DOCUMENT_RETRY_FIRST_SECONDS = float(os.environ.get("DOCUMENT_RETRY_FIRST_SECONDS", "15"))
DOCUMENT_RETRY_MAX_SECONDS = float(os.environ.get("DOCUMENT_RETRY_MAX_SECONDS", "600"))
# Test-only: seconds a worker waits after claiming a document, so integration tests can kill it mid-task. 0 = off.
SENDTRACKER_TEST_SLOW_SECONDS = float(os.environ.get("SENDTRACKER_TEST_SLOW_SECONDS", "0"))
# Text extraction runs in a forked child process with these limits (inspections/pipeline/extract.py:
# extract_text_bounded): memory it may add to what the worker already held (RLIMIT_AS) and CPU seconds
# (RLIMIT_CPU). A file past either fails with the reason; the worker carries on. 0 turns a limit off.
EXTRACT_MAX_MEMORY_MB = int(os.environ.get("EXTRACT_MAX_MEMORY_MB", "512"))
EXTRACT_MAX_CPU_SECONDS = int(os.environ.get("EXTRACT_MAX_CPU_SECONDS", "120"))
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-documents": {
        "task": "inspections.ingest.tasks.requeue_stuck_documents",
        "schedule": 300.0,
    },
    # E-mail digests (inspections/alerts/): hourly; each analyst's is sent only when due (daily or weekly).
    "send-digests": {
        "task": "inspections.alerts.tasks.send_digests",
        "schedule": float(os.environ.get("DIGEST_CHECK_SECONDS", "3600")),  # tests: a few seconds
    },
    # A fetch run whose process died says "interrupted", not "running" for ever (the next run also checks).
    "mark-interrupted-fetch-runs": {
        "task": "inspections.ingest.sources.tasks.mark_interrupted_fetch_runs",
        "schedule": 300.0,
    },
}

# E-mail digests: through Django's e-mail machinery; the console backend (printed, not sent) unless set, e.g.
# DIGEST_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with Django's EMAIL_HOST/EMAIL_PORT/... (set once,
# above, with the password reset's: one mail server for both).
DIGEST_EMAIL_BACKEND = os.environ.get("DIGEST_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The address links in e-mails point at (no request to take it from).
SENDTRACKER_SITE_URL = os.environ.get("SENDTRACKER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Fetching published reports (inspections/ingest/sources/). Nothing is fetched unless asked: by
# `manage.py fetch_reports`, or daily by beat when FETCH_REPORTS_DAILY=1.
OFSTED_REPORTS_URL = os.environ.get("OFSTED_REPORTS_URL", "https://reports.ofsted.gov.uk").rstrip("/")
# The site's files live on another origin (its own robots.txt); comma-separated, each also on the allow-list.
OFSTED_FILE_HOSTS = [h.strip().rstrip("/") for h in os.environ.get(
    "OFSTED_FILE_HOSTS", "https://files.ofsted.gov.uk").split(",") if h.strip()]
FETCH_CONTACT = os.environ.get("FETCH_CONTACT", "")  # an e-mail or URL put in the User-Agent for the site's operators
FETCH_DELAY_SECONDS = float(os.environ.get("FETCH_DELAY_SECONDS", "2"))  # between two requests (one at a time)
FETCH_TIMEOUT_SECONDS = float(os.environ.get("FETCH_TIMEOUT_SECONDS", "30"))
FETCH_RETRIES = int(os.environ.get("FETCH_RETRIES", "3"))  # extra attempts after a timeout or 5xx, with backoff
FETCH_BACKOFF_SECONDS = float(os.environ.get("FETCH_BACKOFF_SECONDS", "5"))  # first backoff; doubles each retry
# A request's total deadline (a server dripping bytes cannot keep it alive); default 4 x the per-phase timeout.
FETCH_DEADLINE_SECONDS = float(os.environ.get("FETCH_DEADLINE_SECONDS", str(4 * FETCH_TIMEOUT_SECONDS)))
# 403/429 answers: waits (their Retry-After, else the backoff) add up to at most this per run, then it stops.
FETCH_RATE_LIMIT_BUDGET_SECONDS = float(os.environ.get("FETCH_RATE_LIMIT_BUDGET_SECONDS", "600"))
# A run that has shown no sign of life for this long (or whose process is gone) is marked interrupted.
FETCH_STALE_SECONDS = int(os.environ.get("FETCH_STALE_SECONDS", "1800"))
# Zip-bomb limits of `import_archive` and .zip uploads (inspections/ingest/sources/archive.py); each file in an
# archive is also held to MAX_UPLOAD_BYTES.
ARCHIVE_MAX_MEMBERS = int(os.environ.get("ARCHIVE_MAX_MEMBERS", "2000"))
ARCHIVE_MAX_TOTAL_BYTES = int(os.environ.get("ARCHIVE_MAX_TOTAL_BYTES", str(2 * 1024**3)))
FETCH_REPORTS_DAILY = env_bool("FETCH_REPORTS_DAILY", False)
if FETCH_REPORTS_DAILY:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["fetch-reports-daily"] = {
        "task": "inspections.ingest.sources.tasks.fetch_reports_daily",
        "schedule": crontab(hour=int(os.environ.get("FETCH_REPORTS_HOUR", "5")), minute=17),
    }

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Secure-only cookies unless SECURE_COOKIES=0: scripts/serve's local plain-HTTP server (DEBUG off) sets it.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start (each manage.py command); its login records stay at INFO.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
