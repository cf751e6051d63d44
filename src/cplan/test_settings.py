"""Settings for the test suite: the database comes from DATABASE_URL (SQLite file by default)."""

import os

os.environ.setdefault("CPLAN_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-suite-key-not-secret")

from cplan.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
