"""Settings, driven by the environment.

`DATABASE_URL` selects the database (SQLite under `var/` by default, PostgreSQL with
`postgres://...`); `SECRET_KEY`, `DEBUG` and `ALLOWED_HOSTS` are read the same way.
`URBIS_ENV=production` turns on the hardened settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("URBIS_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("URBIS_ENV", "development") == "production"
DEBUG = _env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when URBIS_ENV=production")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdef"
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from local static files: CSP-clean, offline
    "rules",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "urbis.common",
    "urbis.messaging",
    "urbis.members",
    "urbis.dues",
    "urbis.events",
    "urbis.governance",
    "urbis.prize",
    "urbis.index",
    "urbis.reports",
    "urbis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "urbis.common.middleware.RequestGuardMiddleware",  # 413 oversized, 400 NUL in text
    "urbis.common.middleware.DatabaseUnavailableMiddleware",  # 503 while the database is down
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "urbis.common.middleware.UserLanguageMiddleware",  # the user's saved language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "urbis.config.urls"
WSGI_APPLICATION = "urbis.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "urbis.common.context_processors.roles",
                "urbis.config.navigation.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'urbis.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The hot statements of a live assembly (`governance.statements`) are prepared on the
    # server after this many runs on a connection; Django's own cursors never prepare.
    # Empty: never (a pooler in transaction mode older than PgBouncer 1.21).
    threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "2")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(threshold) if threshold else None
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for the write lock instead of failing at once; concurrency is settled by the DB.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long jobs (report builds, index computations, reviews) run in the task worker
# (`urbis db_worker`): the django-tasks backport with its database backend, so the queue is
# the database we already back up. URBIS_TASKS=immediate runs them in the request instead,
# for a machine without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("URBIS_TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# E-mail leaves through the outbox (`urbis.messaging`), sent by the task worker with Django's
# SMTP backend. In development the defaults point at the sink `make run` starts.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "urbis secretariat <secretariat@urbis.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
URBIS_BASE_URL = os.environ.get("URBIS_BASE_URL", "http://127.0.0.1:8000")
# The network whose secretariat runs this platform: the cover of its official documents.
URBIS_NETWORK_NAME = os.environ.get(
    "URBIS_NETWORK_NAME", "World Smart Sustainable Cities Organization (WeGO)"
)
URBIS_MAIL_DOMAIN = os.environ.get("URBIS_MAIL_DOMAIN", "urbis.localhost")
# Modules registering reminder kinds (urbis send_reminders), and the dues reminder policy.
URBIS_REMINDER_MODULES = ["urbis.dues.reminders", "urbis.prize.reminders"]
URBIS_DUES_REMINDER_DAYS = _env_list("URBIS_DUES_REMINDER_DAYS", "30,60,90")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "urbis.common.auth.RoleLoadingBackend",  # Django's ModelBackend, roles loaded with the user
    "sesame.backends.ModelBackend",  # sign-in links of invitations (urbis.messaging)
]
SESAME_MAX_AGE = 7 * 24 * 3600
SESAME_ONE_TIME = True
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Desk keys (check-in desks, voting consoles) are issued by governance and read at the API's
# edge by `common.actor`; a desk key may do what these rules allow, on its meeting only.
URBIS_DESK_KEY_READER = "urbis.governance.desk.desk_key_read"
# The dates of the General Assemblies held, for the dues pages' default period (dues does
# not import governance).
URBIS_ASSEMBLY_DATES_READER = "urbis.governance.portal.assembly_dates"
URBIS_DESK_KEY_PERMISSIONS = ("governance.check_in", "governance.cast_vote")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login rate limiting (django-axes, `urbis.common.lockout`): a username from one client
# address is locked after five failures for 15 minutes; one address, whatever the usernames,
# after URBIS_LOGIN_ADDRESS_LIMIT failures. The client address comes from X-Forwarded-For
# only when the peer is a declared proxy (URBIS_TRUSTED_PROXIES, e.g. "127.0.0.1,::1" for
# an nginx on the same host; networks such as 10.0.0.0/8 are allowed).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "urbis.common.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "urbis.common.lockout.client_ip"
URBIS_LOGIN_ADDRESS_LIMIT = int(os.environ.get("URBIS_LOGIN_ADDRESS_LIMIT", "30"))
URBIS_TRUSTED_PROXIES = _env_list("URBIS_TRUSTED_PROXIES", "")
AXES_LOCKOUT_CALLABLE = "urbis.common.views.locked_out"

# The cache every process shares: the database (`urbis createcachetable` once, at install),
# so a published PDF rendered by the task worker is served by every web worker and host.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "urbis_cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
URBIS_ANONYMOUS_DOCUMENTS_PER_MINUTE = int(
    os.environ.get("URBIS_ANONYMOUS_DOCUMENTS_PER_MINUTE", "20")
)

LANGUAGE_CODE = "en"
# The interface languages: English (the source) and the languages of most member cities.
# Catalogs live in the package (`urbis/locale/`) so they ship with it; see docs/translations.md.
LANGUAGES = [
    ("en", "English"),
    ("ko", "Korean"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("ru", "Russian"),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads (imports) are refused above this size; see members import.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
URBIS_MAX_IMPORT_BYTES = int(os.environ.get("URBIS_MAX_IMPORT_BYTES", str(5 * 1024 * 1024)))

COUNTRIES_FIRST = ["KR"]

# Content Security Policy (django-csp): no inline or third-party scripts; styles may be
# inline (SVG charts, htmx indicators); images may be data: URIs (QR codes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
