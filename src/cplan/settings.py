"""Settings, read from the environment.

``DEBUG`` defaults to off; a local secret key is allowed only when ``DEBUG`` is on, so a production
deployment that forgets ``SECRET_KEY`` fails loudly instead of running with a known key.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets admin and queryset classes be subscripted for mypy (ModelAdmin[Area]).
django_stubs_ext.monkeypatch()

SRC_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SRC_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


DEBUG = env_bool("CPLAN_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when CPLAN_DEBUG is off")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105 - only reachable with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "cplan.core",
    "cplan.accounts",
    "cplan.frameworks",
    "cplan.geography",
    "cplan.indicators",
    "cplan.partnerships",
    "cplan.plans",
    "cplan.audit",
    "cplan.demo",
    "cplan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into a 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cplan.urls"
WSGI_APPLICATION = "cplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "cplan" / "templates"],
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

DEFAULT_DATABASE_URL = f"sqlite:///{REPO_DIR / 'var' / 'cplan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the web pages) run while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Failed sign-ins are throttled by django-axes: after AXES_FAILURE_LIMIT failures for one user
# name from one address, sign-in is refused for AXES_COOLOFF_TIME (hours); success resets it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
LOGIN_REDIRECT_URL = "web:scotland"
LOGOUT_REDIRECT_URL = "web:scotland"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CPLAN_STATIC_ROOT", REPO_DIR / "var" / "static"))
# Front-end packages installed by npm at set-up; served as our own static files (no CDN).
NODE_MODULES_DIR = Path(os.environ.get("CPLAN_NODE_MODULES", REPO_DIR / "node_modules"))
VENDOR_PACKAGES = {
    "sgds": "@scottish-government/design-system/dist",
    "htmx": "htmx.org/dist",
    "vega": "vega/build",
    "vega-lite": "vega-lite/build",
    "vega-embed": "vega-embed/build",
    "axe-core": "axe-core",
}
STATICFILES_DIRS = [
    (f"vendor/{prefix}", NODE_MODULES_DIR / folder)
    for prefix, folder in VENDOR_PACKAGES.items()
    if (NODE_MODULES_DIR / folder).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# The official data files (SIMD, look-ups, CPOP, ...). Never copied into the repository.
CPLAN_DATA_DIR = Path(os.environ.get("CPLAN_DATA_DIR", REPO_DIR.parent / "shared" / "data"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Community Planning Platform API",
    "DESCRIPTION": "Outcomes, inequalities, plans and audit recommendations for Scotland's CPPs.",
    "VERSION": "0.1.0",
    # Redoc's script is served from our own static files (the sidecar package), never a CDN.
    "REDOC_DIST": "SIDECAR",
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = (
    False  # HTMX reads the token from the cookie-free meta tag; harmless either way.
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CPLAN_SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = env_bool("CPLAN_SECURE_COOKIES", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CPLAN_LOG_LEVEL", "WARNING")},
}
