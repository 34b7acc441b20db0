"""Settings, all from the environment (12-factor). README.md lists every variable."""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from jobs.pipeline.evaluate.generate import DEFAULT_GPU_HOUR_PRICE
from studio.celery import task_routes

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Everything the studio writes at run time lives under VAR_DIR unless a variable says otherwise.
VAR_DIR = Path(env.str("STUDIO_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    if key := env.str("SECRET_KEY", default=""):
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: one random key per checkout, kept so that sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "studio.core",
    "studio.accounts",
    "studio.audit",
    "studio.basemodels",
    "studio.datasets",
    "studio.industry",
    "studio.runs",
    "studio.evaluations",
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
    "studio.accounts.middleware.CurrentTeamMiddleware",
]

ROOT_URLCONF = "studio.urls"

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
                "studio.accounts.context_processors.team",
            ],
        },
    },
]

WSGI_APPLICATION = "studio.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'studio.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker in another process sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without collectstatic (the zero-server mode) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Where uploaded dataset files and training/eval artifacts are kept.
MEDIA_ROOT = Path(env.str("UPLOADS_ROOT", default=str(VAR_DIR / "uploads")))
ARTIFACTS_ROOT = Path(env.str("ARTIFACTS_ROOT", default=str(VAR_DIR / "artifacts")))

# Dataset uploads: refused above these sizes, with a message (the web process streams to disk).
DATASET_MAX_UPLOAD_BYTES = env.int("DATASET_MAX_UPLOAD_BYTES", default=2 * 1024**3)
DATASET_MAX_LINE_BYTES = env.int("DATASET_MAX_LINE_BYTES", default=1024**2)
# Local MarianMT directories (source->pivot, pivot->source) for back-translation augmentation.
MARIAN_FORWARD_DIR = env.str("MARIAN_FORWARD_DIR", default="")
MARIAN_REVERSE_DIR = env.str("MARIAN_REVERSE_DIR", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024**2
FILE_UPLOAD_TEMP_DIR = str(MEDIA_ROOT / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_HANDLERS = [
    "studio.datasets.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Celery. With no CELERY_BROKER_URL the broker is kombu's filesystem transport: no server needed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Above the longest run: an unacknowledged task is handed out again only after this.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7 * 24 * 3600),
        "queue_order_strategy": "priority",
    }
# The database row is the source of truth for every job; Celery keeps no results.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# CELERY_QUEUE_PREFIX keeps several studios (or a test run) on one broker apart.
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUE_PREFIX + "cpu"
CELERY_TASK_ROUTES = task_routes(CELERY_QUEUE_PREFIX)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Training runs: a worker beats every RUN_HEARTBEAT_SECONDS; three missed beats mean it died and
# the run is resumed elsewhere. A run waiting for its team's concurrency limit retries this often.
RUN_HEARTBEAT_SECONDS = env.float("RUN_HEARTBEAT_SECONDS", default=10.0)
RUN_WAIT_RETRY_SECONDS = env.int("RUN_WAIT_RETRY_SECONDS", default=30)
# Processes a training worker trains each stage in: 1 = in the worker; N = data-parallel through
# torchrun, one process per GPU of the machine (README "Several GPUs").
TRAIN_PROCESSES = env.int("TRAIN_PROCESSES", default=1)
if TRAIN_PROCESSES < 1:
    raise ImproperlyConfigured(f"TRAIN_PROCESSES must be 1 or more, not {TRAIN_PROCESSES}.")
# Held-out evaluation on a CPU worker costs ~1.8 s per example per model (128 new tokens, batched):
# the default 200 examples keep a base-vs-tuned evaluation near 12 minutes; 0 = the whole eval split.
EVAL_MAX_EXAMPLES = env.int("EVAL_MAX_EXAMPLES", default=200)
EVAL_MAX_NEW_TOKENS = env.int("EVAL_MAX_NEW_TOKENS", default=128)
# USD per GPU-hour behind the cost per 1k generated tokens.
EVAL_GPU_HOUR_PRICE = env.float("EVAL_GPU_HOUR_PRICE", default=DEFAULT_GPU_HOUR_PRICE)
CELERY_BEAT_SCHEDULE = {
    "recover-stale-runs": {"task": "jobs.tasks.recover_stale_runs", "schedule": 60.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
