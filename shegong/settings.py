"""Django settings for Shegong.

One file for every environment. ``SHEGONG_ENV=production`` switches on the strict mode: every
secret must come from the environment (the process refuses to start otherwise) and the HTTPS
hardening that ``manage.py check --deploy`` asks for is on. Anything else is the embedded default:
SQLite, locally generated keys in ``var/``, DEBUG on unless ``DEBUG=0``.
"""

import os
from pathlib import Path

import dj_database_url

from shegong.env import (
    check_field_keys,
    check_index_key,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_positive_int,
    env_rate,
    env_str,
    local_keys,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SHEGONG_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("SHEGONG_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    SHEGONG_FIELD_KEYS = env_list("SHEGONG_FIELD_KEYS", [])
    SHEGONG_INDEX_KEY = env_str("SHEGONG_INDEX_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    DEBUG = False
else:
    _local = local_keys(VAR_DIR / "local-keys.json")
    SECRET_KEY = env_str("SECRET_KEY", _local["SECRET_KEY"])
    SHEGONG_FIELD_KEYS = env_list("SHEGONG_FIELD_KEYS", [_local["SHEGONG_FIELD_KEYS"]])
    SHEGONG_INDEX_KEY = env_str("SHEGONG_INDEX_KEY", _local["SHEGONG_INDEX_KEY"])
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    DEBUG = env_bool("DEBUG", True)

# A malformed key stops the process here, not at the first save of an ID number.
check_field_keys(SHEGONG_FIELD_KEYS)
check_index_key(SHEGONG_INDEX_KEY)

# No django.contrib.admin: it would read and edit rows around the scope filter and the masks.
# Everything an administrator does goes through the scoped pages, the API or manage.py.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "shegong.core",
    "shegong.places",
    "shegong.people",
    "shegong.accounts",
    "shegong.agencies",
    "shegong.imports",
    "shegong.notifications",
    "shegong.cases",
    "shegong.funds",
    "shegong.pairing",
    "shegong.activities",
    "shegong.resources",
    "shegong.volunteers",
    "shegong.park",
    "shegong.training",
    "shegong.exams",
    "shegong.talent",
    "shegong.purchasing",
]

MIDDLEWARE = [
    "shegong.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "shegong.api.middleware.ApiErrorFormatMiddleware",
    "shegong.core.middleware.FormCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shegong.core.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

# Form widgets render through Jinja2 (Django ships the templates): a select of the district's
# communities costs about a fifth of what the Django template engine takes (bench/cases.py).
# Ours only inlines the select's options (shegong/core/forms.py).
FORM_RENDERER = "shegong.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shegong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shegong.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (postgres://...) selects PostgreSQL.
SQLITE_OPTIONS = {
    # WAL lets the web process read while the task worker writes. Writers queue on one lock:
    # each write transaction is kept to a few milliseconds (slow work such as hashing, search
    # text and encryption happens before it), and the busy timeout (seconds) is long enough for
    # a burst of writers to drain instead of failing with "database is locked" (20 concurrent
    # writers measured, shegong/core/tests/test_concurrent_writes.py).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 30,
    # BEGIN IMMEDIATE takes the write lock up front, where the busy timeout applies; a deferred
    # transaction upgrading from read to write would fail at once instead of waiting.
    "transaction_mode": "IMMEDIATE",
}
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "shegong.core.sqlite",
            "NAME": VAR_DIR / "shegong.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "shegong.core.sqlite"):
    # Django's backend, whose write transactions queue on a file lock instead of polling for
    # SQLite's (shegong/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "shegong.core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", SQLITE_OPTIONS)
    # A file (not memory) so browser tests can run a real task worker process against it;
    # one per test process so parallel runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The proxies whose X-Forwarded-For is believed (addresses or networks, e.g. "127.0.0.1" when
# nginx runs on the same host). Empty: REMOTE_ADDR is the client. shegong.core.clientip reads
# the client address for the access log, the change history, the lockout and the rate limits.
SHEGONG_TRUSTED_PROXIES = env_networks("SHEGONG_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "shegong.core.clientip.client_ip"

# Lock a username from one address after repeated failures, for an hour: a stranger's failures
# from elsewhere never lock the real user out of their own address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "shegong.accounts.lockout.lockout_response"  # JSON for the API
AXES_VERBOSE = False

# Anonymous API endpoints (token issue) answer 429 past this many requests per client address.
SHEGONG_API_ANON_RATE = env_rate("SHEGONG_API_ANON_RATE", "20/m")
# A new API token lives this many days; changing the password or deactivating the user revokes it.
SHEGONG_API_TOKEN_DAYS = env_positive_int("SHEGONG_API_TOKEN_DAYS", 90)

# One cache every process shares (the rate limits count there), in the database so the embedded
# default needs no other server; `migrate` creates its table (core migration cache_table).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "shegong_cache",
    },
    # Each process's own memory, for what may be ten seconds old and is the same for every
    # visitor (the public check-in and enrolment pages' headings, classes and blank forms,
    # opened by a crowd at once).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shegong",
        "TIMEOUT": 10,
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Scripts only from our own origin: every front-end file is vendored under static/vendor/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "shegong.core.staticfiles.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SHEGONG_IMPORT_MAX_BYTES = env_int("SHEGONG_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Rows of an import are checked on this many processes (0: one per core, at most four), once a
# file has at least this many chunks of rows; smaller files are checked in-process.
SHEGONG_IMPORT_PROCESSES = env_int("SHEGONG_IMPORT_PROCESSES", 0)
SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS = env_int("SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS", 3)
# Bounds checked before a spreadsheet is read into memory (a 5 KB file may declare a cell at
# XFD1048576 or unzip to gigabytes): rows, columns, rows x columns, and the unzipped size.
SHEGONG_IMPORT_MAX_ROWS = env_int("SHEGONG_IMPORT_MAX_ROWS", 200_000)
SHEGONG_IMPORT_MAX_COLUMNS = env_int("SHEGONG_IMPORT_MAX_COLUMNS", 100)
SHEGONG_IMPORT_MAX_CELLS = env_int("SHEGONG_IMPORT_MAX_CELLS", 4_000_000)
SHEGONG_IMPORT_MAX_UNZIPPED_BYTES = env_int("SHEGONG_IMPORT_MAX_UNZIPPED_BYTES", 500 * 1024 * 1024)
# Uploads (plain-text personal data) are deleted when a job ends, and at the latest this many
# days after the upload (`manage.py imports_cleanup`).
SHEGONG_IMPORT_RETENTION_DAYS = env_int("SHEGONG_IMPORT_RETENTION_DAYS", 7)
# A working job whose worker has not reported for this long is shown as interrupted.
SHEGONG_IMPORT_STALE_SECONDS = env_int("SHEGONG_IMPORT_STALE_SECONDS", 120)
# "My work" flags open cases with no service contact for this many days (?days= overrides).
SHEGONG_NO_CONTACT_DAYS = env_int("SHEGONG_NO_CONTACT_DAYS", 30)
# A case list export of more rows than this is written by the task worker, with a progress bar
# and a download link for the user who asked; the file is deleted once downloaded, or after
# SHEGONG_EXPORT_RETENTION_HOURS when nobody fetched it.
SHEGONG_EXPORT_INLINE_MAX_ROWS = env_int("SHEGONG_EXPORT_INLINE_MAX_ROWS", 5000)
SHEGONG_EXPORT_RETENTION_HOURS = env_int("SHEGONG_EXPORT_RETENTION_HOURS", 24)

# --- Background tasks ------------------------------------------------------------------------
# The database backend works on the embedded default with no broker; `manage.py db_worker` runs
# the queue. SHEGONG_TASKS_IMMEDIATE=1 runs tasks inline (tests, single-process demos).
if env_bool("SHEGONG_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shegong@localhost")
# Notifications are emailed only when this is on and the user has an address.
SHEGONG_NOTIFY_BY_EMAIL = env_bool("SHEGONG_NOTIFY_BY_EMAIL", False)
# Prefixed to a notification's link in emails ("https://shegong.example.gov.cn"); the in-app
# link is a path and needs no host.
SHEGONG_SITE_URL = env_str("SHEGONG_SITE_URL", "")

# --- Audit ------------------------------------------------------------------------------------
# Each app registers its models in AppConfig.ready() (core.audit.track); encrypted columns are
# excluded there so the change history never holds personal values, not even as ciphertext.
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Logging: no personal data ever reaches a log line (values are not logged, only ids). ----
# Error responses never show a traceback, even with DEBUG on (shegong/core/errors.py).
DEFAULT_EXCEPTION_REPORTER = "shegong.core.errors.PlainExceptionReporter"

# Every line: time, level, logger, the request id (also sent as the X-Request-ID header) and the
# message. Request lines lose their query strings: a search by ID number or mobile is a query.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "shegong.core.logs.RequestIdFilter"},
        "redact_query": {"()": "shegong.core.logs.RedactQueryStringFilter"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines; gunicorn's access log is set in gunicorn.conf.py.
        "django.server": {
            "handlers": ["console"],
            "filters": ["redact_query"],
            "level": "INFO",
            "propagate": False,
        },
        # "Not Found: <path>" and friends: a path may hold an ID number.
        "django.request": {
            "handlers": ["console"],
            "filters": ["redact_query"],
            "level": "INFO",
            "propagate": False,
        },
        # axes logs every successful login at INFO; lockouts are WARNING and still show.
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "shegong.api.pagination.Pages"

SHEGONG_DISTRICT_NAME = env_str("SHEGONG_DISTRICT_NAME", "湖里区")
SHEGONG_PLACES_FILE = BASE_DIR / "shegong" / "places" / "data" / "huli_communities.csv"

# The public check-in page (/c/<token>/) answers 429 past this many requests per client address.
# Residents often share one address (a community centre's Wi-Fi): keep it generous.
SHEGONG_CHECKIN_RATE = env_rate("SHEGONG_CHECKIN_RATE", "120/m")
