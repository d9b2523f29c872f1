"""The one settings module. Every value comes from an environment variable
(listed with its default in `.env.example`); a bad value stops start-up with a
message that names the variable.
"""

import os
import secrets
from datetime import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "1" if default else "0").lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false (1/0).")


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from exc


def _env_time(name: str, default: str) -> time:
    raw = _env(name, default)
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a time HH:MM.") from exc


def _env_periods(name: str, default: str) -> list[tuple[time, time]]:
    """Working hours as 'HH:MM-HH:MM,HH:MM-HH:MM' (morning and afternoon shifts)."""
    raw = _env(name, default)
    periods = []
    try:
        for part in raw.split(","):
            start, end = part.split("-")
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected 'HH:MM-HH:MM,HH:MM-HH:MM'.") from exc
    if any(s >= e for s, e in periods) or periods != sorted(periods):
        raise ImproperlyConfigured(f"{name}={raw!r}: periods must be increasing and not empty.")
    return periods


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {parsed.scheme!r} is not supported: use postgres://user@host:port/name "
            "(or leave DATABASE_URL unset for the embedded SQLite database)."
        )
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL has no database name (postgres://user@host:5432/NAME).")
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": _env_int("CCHC_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
        "TEST": {"NAME": f"test_{name}"},
    }


DATA_DIR = Path(_env("CCHC_DATA_DIR", "var")).resolve()
DEBUG = _env_bool("CCHC_DEBUG", False)

SECRET_KEY = _env("CCHC_SECRET_KEY")
if not SECRET_KEY:
    # Embedded deployments (one commune, one machine) get a key generated once and
    # kept in the data directory, so sessions survive restarts without set-up.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()
elif len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("CCHC_SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = [h.strip() for h in _env("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in _env("CCHC_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
# The public base URL printed in QR codes and e-mails (e.g. https://dichvucong.ducxuong.gov.vn).
PUBLIC_BASE_URL = _env("CCHC_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Dossier code pattern (docs/rules.md §6; the TT 03/2025 pattern is not confirmed). Fields:
# {agency} the commune's electronic ID code, {yymmdd} or {yyyymmdd} the day of
# receipt, {serial} the daily serial per commune (format it, e.g. {serial:04d}).
DOSSIER_CODE_PATTERN = _env("CCHC_DOSSIER_CODE_PATTERN", "{agency}-{yymmdd}-{serial:04d}")
try:
    DOSSIER_CODE_PATTERN.format(agency="000.00.00.H26", yymmdd="250701", yyyymmdd="20250701", serial=1)
except (KeyError, IndexError, ValueError) as _exc:
    raise ImproperlyConfigured(f"CCHC_DOSSIER_CODE_PATTERN={DOSSIER_CODE_PATTERN!r}: {_exc}") from _exc
if "{serial" not in DOSSIER_CODE_PATTERN or not any(
    f"{{{d}}}" in DOSSIER_CODE_PATTERN for d in ("yymmdd", "yyyymmdd")
):
    # Without the day and the serial two dossiers could get the same code.
    raise ImproperlyConfigured("CCHC_DOSSIER_CODE_PATTERN must contain {serial…} and {yymmdd} or {yyyymmdd}.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Dependencies point one way: core → org → domain apps → metrics/reports.
    "cchc.core",
    "cchc.org",
    "cchc.procedures",
    "cchc.dossiers",
    "cchc.satisfaction",
    "cchc.petitions",
    "cchc.plans",
    "cchc.reports",
    "cchc.registers",
    "cchc.parindex",
    "cchc.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cchc.core.middleware.NfcInputMiddleware",
    "cchc.core.middleware.AuditActorMiddleware",
    "cchc.core.middleware.ConflictMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = _env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": _database_from_url(DATABASE_URL)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "cchc.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so two concurrent writers queue instead of
                # failing with "database is locked" on lock upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
# Project-wide assets (vendored CSS/JS) live in the package, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(_env("CCHC_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
MEDIA_ROOT = Path(_env("CCHC_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
# Uploaded evidence and attachments are never served as plain static files: they
# go through permission-checked views.
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = _env_int("CCHC_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _env_int("CCHC_SESSION_AGE_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = _env_bool("CCHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = _env("CCHC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _env("CCHC_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("CCHC_EMAIL_PORT", 25)
EMAIL_HOST_USER = _env("CCHC_EMAIL_USER")
EMAIL_HOST_PASSWORD = _env("CCHC_EMAIL_PASSWORD")
EMAIL_USE_TLS = _env_bool("CCHC_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = _env("CCHC_DEFAULT_FROM_EMAIL", "cchc@localhost")

# Rate limits of the public pages live in the cache. One process: local memory.
# Several server processes: "database" shares the counts (run `cchc createcachetable`
# once; `cchc demo` does it).
_CACHE = _env("CCHC_CACHE", "locmem")
if _CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cchc_cache"}}
else:
    raise ImproperlyConfigured(f"CCHC_CACHE={_CACHE!r}: expected 'locmem' or 'database'.")

# --- Domain configuration (UNCONFIRMED national rules are settings, not constants) ---
# Afternoon cut-off after which a dossier moves to the next working day (docs/rules.md §4).
AFTERNOON_CUTOFF = _env_time("CCHC_AFTERNOON_CUTOFF", "15:00")
# Office hours, used for processing times counted in working hours.
WORKING_PERIODS = _env_periods("CCHC_WORKING_HOURS", "07:30-11:30,13:30-17:00")

# Public petition form and follow-up (petitions app). Spam protection without an
# outside service: per client IP, at most LIMIT submissions / look-ups per WINDOW.
PETITION_SUBMIT_LIMIT = _env_int("CCHC_PETITION_SUBMIT_LIMIT", 5)
PETITION_SUBMIT_WINDOW_SECONDS = _env_int("CCHC_PETITION_SUBMIT_WINDOW_SECONDS", 3600)
PETITION_LOOKUP_LIMIT = _env_int("CCHC_PETITION_LOOKUP_LIMIT", 10)
PETITION_LOOKUP_WINDOW_SECONDS = _env_int("CCHC_PETITION_LOOKUP_WINDOW_SECONDS", 60)
# A petition whose step deadline is at most this many working days away is "due soon".
PETITION_DUE_SOON_DAYS = _env_int("CCHC_PETITION_DUE_SOON_DAYS", 2)
for _name in (
    "PETITION_SUBMIT_LIMIT",
    "PETITION_SUBMIT_WINDOW_SECONDS",
    "PETITION_LOOKUP_LIMIT",
    "PETITION_LOOKUP_WINDOW_SECONDS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"CCHC_{_name} must be at least 1.")

# Public dossier look-up and satisfaction ratings (portal, satisfaction apps): per
# client IP, at most LIMIT tries per WINDOW seconds, so that codes cannot be harvested
# by guessing the phone's last digits.
DOSSIER_LOOKUP_LIMIT = _env_int("CCHC_DOSSIER_LOOKUP_LIMIT", 10)
DOSSIER_LOOKUP_WINDOW_SECONDS = _env_int("CCHC_DOSSIER_LOOKUP_WINDOW_SECONDS", 60)
RATING_SUBMIT_LIMIT = _env_int("CCHC_RATING_SUBMIT_LIMIT", 10)
RATING_SUBMIT_WINDOW_SECONDS = _env_int("CCHC_RATING_SUBMIT_WINDOW_SECONDS", 600)
for _name in (
    "DOSSIER_LOOKUP_LIMIT",
    "DOSSIER_LOOKUP_WINDOW_SECONDS",
    "RATING_SUBMIT_LIMIT",
    "RATING_SUBMIT_WINDOW_SECONDS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"CCHC_{_name} must be at least 1.")

# Periodic CCHC reports (reports app; docs/reports.md). The deadline is this day of
# the period's last month ("before the 16th", NĐ 09/2019 and the plan's reporting
# regime); a province may set another. Departments' sections are due that many
# working days earlier. REPORT_PERIODS: the reports each commune owes a year
# (Q1–Q4, H1, 9M, Y; M for monthly where the province asks).
REPORT_DEADLINE_DAY = _env_int("CCHC_REPORT_DEADLINE_DAY", 15)
REPORT_SECTION_LEAD_DAYS = _env_int("CCHC_REPORT_SECTION_LEAD_DAYS", 3)
REPORT_PERIODS = [
    c.strip().upper() for c in _env("CCHC_REPORT_PERIODS", "Q1,H1,Q3,Y").split(",") if c.strip()
]
if not 15 <= REPORT_DEADLINE_DAY <= 28:
    raise ImproperlyConfigured("CCHC_REPORT_DEADLINE_DAY must be 15–28 (after the cut-off on the 14th).")
if not 0 <= REPORT_SECTION_LEAD_DAYS <= 20:
    raise ImproperlyConfigured("CCHC_REPORT_SECTION_LEAD_DAYS must be 0–20 working days.")
if not REPORT_PERIODS or set(REPORT_PERIODS) - {"M", "Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y"}:
    raise ImproperlyConfigured(
        "CCHC_REPORT_PERIODS: a list of Q1, Q2, Q3, Q4, H1, 9M, Y, M (e.g. 'Q1,H1,Q3,Y')."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("CCHC_LOG_LEVEL", "WARNING")},
}
