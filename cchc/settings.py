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
    raise ImproperlyConfigured(f"{name}={raw!r}: cần true/false (1/0).")


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần một số nguyên.") from exc


def _env_time(name: str, default: str) -> time:
    raw = _env(name, default)
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần giờ dạng HH:MM.") from exc


def _env_periods(name: str, default: str) -> list[tuple[time, time]]:
    """Working hours as 'HH:MM-HH:MM,HH:MM-HH:MM' (morning and afternoon shifts)."""
    raw = _env(name, default)
    periods = []
    try:
        for part in raw.split(","):
            start, end = part.split("-")
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần dạng 'HH:MM-HH:MM,HH:MM-HH:MM'.") from exc
    if any(s >= e for s, e in periods) or periods != sorted(periods):
        raise ImproperlyConfigured(f"{name}={raw!r}: các ca phải tăng dần và không rỗng.")
    return periods


def _env_url(name: str, default: str) -> str:
    raw = _env(name, default).rstrip("/")
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query or parsed.fragment:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: cần địa chỉ dạng https://ten-mien.gov.vn (không có ?… hay #…)."
        )
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: cổng không hợp lệ.") from exc
    return raw


def _database_from_url(url: str, variable: str = "DATABASE_URL") -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"{variable}: kiểu {parsed.scheme!r} không được hỗ trợ; dùng postgres://user@host:port/TÊN "
            "(hoặc bỏ trống DATABASE_URL để dùng SQLite có sẵn)."
        )
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} thiếu tên cơ sở dữ liệu (postgres://user@host:5432/TÊN).")
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
    raise ImproperlyConfigured("CCHC_SECRET_KEY: cần ít nhất 32 ký tự.")

ALLOWED_HOSTS = [h.strip() for h in _env("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in _env("CCHC_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
# The public base URL printed in QR codes and e-mails (e.g. https://dichvucong.ducxuong.gov.vn).
# Unset, `cchc serve` and `cchc demo` replace the placeholder with the address they
# serve (cchc.core.serving), and `cchc check --deploy` fails with DEBUG off: a QR code
# printed with a wrong address is dead for every citizen who scans it.
PUBLIC_BASE_URL_SET = bool(_env("CCHC_PUBLIC_BASE_URL"))
PUBLIC_BASE_URL = _env_url("CCHC_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Dossier code pattern (docs/rules.md §6; the TT 03/2025 pattern is not confirmed). Fields:
# {agency} the commune's electronic ID code, {yymmdd} or {yyyymmdd} the day of
# receipt, {serial} the daily serial per commune (format it, e.g. {serial:04d}).
DOSSIER_CODE_PATTERN = _env("CCHC_DOSSIER_CODE_PATTERN", "{agency}-{yymmdd}-{serial:04d}")
try:
    DOSSIER_CODE_PATTERN.format(agency="000.00.00.H26", yymmdd="250701", yyyymmdd="20250701", serial=1)
except (KeyError, IndexError, ValueError) as _exc:
    raise ImproperlyConfigured(
        f"CCHC_DOSSIER_CODE_PATTERN={DOSSIER_CODE_PATTERN!r}: mẫu sai ({_exc})."
    ) from _exc
if "{serial" not in DOSSIER_CODE_PATTERN or not any(
    f"{{{d}}}" in DOSSIER_CODE_PATTERN for d in ("yymmdd", "yyyymmdd")
):
    # Without the day and the serial two dossiers could get the same code.
    raise ImproperlyConfigured("CCHC_DOSSIER_CODE_PATTERN: phải có {serial…} và {yymmdd} hoặc {yyyymmdd}.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The API docs page (Swagger UI) from ninja's bundled files, not from a CDN.
    "ninja",
    # Dependencies point one way: core → org → domain apps → metrics/reports.
    "cchc.core",
    "cchc.org",
    "cchc.procedures",
    "cchc.dossiers",
    "cchc.satisfaction",
    "cchc.petitions",
    "cchc.plans",
    # The QĐ 766 service index reads dossiers, satisfaction, petitions and procedures
    # through the figures catalogue; nothing imports it.
    "cchc.serviceindex",
    # The registers feed the reports (and the PAR index) their figures: before them.
    "cchc.registers",
    "cchc.reports",
    "cchc.parindex",
    # Dashboards and the province comparison read every app through the catalogue.
    "cchc.dashboards",
    "cchc.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app (no separate web server needed), before
    # sessions so that a stylesheet costs no database query.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cchc.core.middleware.ContentSecurityPolicyMiddleware",
    # Before sessions and authentication: their reads follow the request's choice.
    "cchc.core.replica.ReplicaReadsMiddleware",
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

# A PostgreSQL read replica (streaming standby of DATABASE_URL): read-only requests
# read from it, writes and the requests that write go to the primary
# (cchc/core/replica.py, docs/scaling.md). In tests the alias mirrors the primary.
REPLICA_DATABASE_URL = _env("CCHC_REPLICA_DATABASE_URL")
REPLICA_DATABASE = None
if REPLICA_DATABASE_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured(
            "CCHC_REPLICA_DATABASE_URL: bản sao chỉ đọc cần máy chủ chính PostgreSQL (đặt DATABASE_URL)."
        )
    REPLICA_DATABASE = "replica"
    DATABASES[REPLICA_DATABASE] = _database_from_url(REPLICA_DATABASE_URL, "CCHC_REPLICA_DATABASE_URL")
    DATABASES[REPLICA_DATABASE]["TEST"] = {"MIRROR": "default"}
# After a write, the same browser reads the primary for this long (replication lag).
REPLICA_STICKY_SECONDS = _env_int("CCHC_REPLICA_STICKY_SECONDS", 15)
DATABASE_ROUTERS = ["cchc.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# No single submitted value (form field, query parameter, API string) may be longer
# than this many characters: refused with a message, never cut (docs/operations.md).
MAX_INPUT_CHARS = _env_int("CCHC_MAX_INPUT_CHARS", 20_000)
if MAX_INPUT_CHARS < 1000:
    raise ImproperlyConfigured("CCHC_MAX_INPUT_CHARS: cần ít nhất 1000.")

# Every password check is throttled (cchc/core/auth.py; docs/operations.md "Security").
AUTHENTICATION_BACKENDS = ["cchc.core.auth.ThrottledModelBackend"]
LOGIN_FAILURES_PER_ACCOUNT = _env_int("CCHC_LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = _env_int("CCHC_LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_LOCK_SECONDS = _env_int("CCHC_LOGIN_LOCK_SECONDS", 900)
API_TOKEN_FAILURES_PER_ADDRESS = _env_int("CCHC_API_TOKEN_FAILURES_PER_ADDRESS", 20)
for _name in (
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_FAILURES_PER_ADDRESS",
    "LOGIN_LOCK_SECONDS",
    "API_TOKEN_FAILURES_PER_ADDRESS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"CCHC_{_name}: cần ít nhất 1.")

# Staff passwords (cchc/core/passwords.py): Vietnamese messages; no commune name,
# date or demo password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "cchc.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "cchc.core.passwords.MinimumLengthValidator"},
    {"NAME": "cchc.core.passwords.CommonPasswordValidator"},
    {"NAME": "cchc.core.passwords.NumericPasswordValidator"},
    {"NAME": "cchc.core.passwords.PlaceNameValidator"},
    {"NAME": "cchc.core.passwords.DateValidator"},
    {"NAME": "cchc.core.passwords.DemoPasswordValidator"},
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
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise scans it at start-up
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies once `collectstatic` has run (`cchc serve` runs it), so
    # that browsers may cache them for a year; plain names before that.
    "staticfiles": {"BACKEND": "cchc.core.staticfiles.StaticStorage"},
}
# Serve the package's files directly too: `cchc demo` and development need no
# collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(_env("CCHC_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
# Uploaded evidence and attachments are never served as plain static files: they
# go through permission-checked views.
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = _env_int("CCHC_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _env_int("CCHC_SESSION_AGE_SECONDS", 8 * 3600)
# Secure cookies unless debugging: browsers keep them on https:// and on this machine
# (http://127.0.0.1, http://localhost). A commune serving other office PCs over plain
# http on its LAN sets CCHC_SECURE_COOKIES=false (docs/operations.md).
SESSION_COOKIE_SECURE = _env_bool("CCHC_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Behind a TLS proxy (nginx, IIS, Caddy…): CCHC_HTTPS=true redirects plain http to
# https, sends HSTS, and trusts X-Forwarded-Proto / X-Forwarded-For from the proxy at
# CCHC_TRUSTED_PROXY (waitress, run by `cchc serve`, drops those headers from anyone
# else; other WSGI servers must be told the same, e.g. gunicorn --forwarded-allow-ips).
HTTPS = _env_bool("CCHC_HTTPS", False)
TRUSTED_PROXY = _env("CCHC_TRUSTED_PROXY", "127.0.0.1" if HTTPS else "")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env_int("CCHC_HSTS_SECONDS", 365 * 24 * 3600)
    # A commune's site has no plain-http subdomains to protect; preload only takes
    # effect once the domain is submitted to the browsers' list.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CCHC_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("CCHC_HSTS_PRELOAD", True)
    # The health check answers the proxy and monitoring over plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy (cchc.core.middleware.ContentSecurityPolicyMiddleware): scripts
# and style sheets only from this site (vendored, no CDN), so that injected markup cannot
# run. Style attributes stay allowed (progress bars, print layout); <style> elements need
# the per-request nonce ({{ request.csp_nonce }}).
CSP = _env(
    "CCHC_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

EMAIL_BACKEND = _env("CCHC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _env("CCHC_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("CCHC_EMAIL_PORT", 25)
EMAIL_HOST_USER = _env("CCHC_EMAIL_USER")
EMAIL_HOST_PASSWORD = _env("CCHC_EMAIL_PASSWORD")
EMAIL_USE_TLS = _env_bool("CCHC_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = _env("CCHC_DEFAULT_FROM_EMAIL", "cchc@localhost")
# Text messages to applicants (docs/online.md §6): the dotted path of a class
# implementing `cchc.dossiers.messaging.SmsSender`. Empty: SMS is off (and the pages
# say so); no provider is built in.
SMS_SENDER = _env("CCHC_SMS_SENDER")

# Rate limits of the public pages live in the cache. One process: local memory.
# Several server processes: "database" shares the counts (run `cchc createcachetable`
# once; `cchc demo` does it).
_CACHE = _env("CCHC_CACHE", "locmem")
if _CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cchc_cache"}}
else:
    raise ImproperlyConfigured(f"CCHC_CACHE={_CACHE!r}: cần 'locmem' hoặc 'database'.")

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
        raise ImproperlyConfigured(f"CCHC_{_name}: cần ít nhất 1.")

# Public dossier look-up and satisfaction ratings (portal, satisfaction apps): per
# client IP, at most LIMIT tries per WINDOW seconds, so that codes cannot be harvested
# by guessing the phone's last digits.
DOSSIER_LOOKUP_LIMIT = _env_int("CCHC_DOSSIER_LOOKUP_LIMIT", 10)
DOSSIER_LOOKUP_WINDOW_SECONDS = _env_int("CCHC_DOSSIER_LOOKUP_WINDOW_SECONDS", 60)
RATING_SUBMIT_LIMIT = _env_int("CCHC_RATING_SUBMIT_LIMIT", 10)
RATING_SUBMIT_WINDOW_SECONDS = _env_int("CCHC_RATING_SUBMIT_WINDOW_SECONDS", 600)
# Online submissions from the public commune page (docs/online.md §2): per client IP,
# at most LIMIT successful submissions per WINDOW seconds.
ONLINE_SUBMIT_LIMIT = _env_int("CCHC_ONLINE_SUBMIT_LIMIT", 5)
ONLINE_SUBMIT_WINDOW_SECONDS = _env_int("CCHC_ONLINE_SUBMIT_WINDOW_SECONDS", 3600)
for _name in (
    "DOSSIER_LOOKUP_LIMIT",
    "DOSSIER_LOOKUP_WINDOW_SECONDS",
    "RATING_SUBMIT_LIMIT",
    "RATING_SUBMIT_WINDOW_SECONDS",
    "ONLINE_SUBMIT_LIMIT",
    "ONLINE_SUBMIT_WINDOW_SECONDS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"CCHC_{_name}: cần ít nhất 1.")

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


def _env_admins(name: str) -> list[tuple[str, str]]:
    """'Nguyễn Văn A <a@x.gov.vn>, b@x.gov.vn' → [(name, address), …]."""
    from email.utils import getaddresses

    raw = _env(name)
    admins = [(n or a, a) for n, a in getaddresses([raw]) if a]
    if raw and (not admins or any("@" not in a for _, a in admins)):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: cần danh sách địa chỉ thư, ví dụ 'Tên <a@xa.gov.vn>, b@xa.gov.vn'."
        )
    return admins


# Server errors (with DEBUG off) are mailed to these addresses, with the traceback.
ADMINS = _env_admins("CCHC_ADMINS")
SERVER_EMAIL = _env("CCHC_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Warnings and errors go to the console and to a rotating file (10 files of 5 MB) in
# CCHC_LOG_DIR, so that an error a user met can be read afterwards. Django's own
# logging mails request errors to ADMINS when DEBUG is off (AdminEmailHandler).
LOG_LEVEL = _env("CCHC_LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"CCHC_LOG_LEVEL={LOG_LEVEL!r}: cần DEBUG, INFO, WARNING, ERROR hoặc CRITICAL."
    )
LOG_DIR = Path(_env("CCHC_LOG_DIR", str(DATA_DIR / "logs"))).resolve()
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"file": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": LOG_LEVEL},
        "file": {
            "level": LOG_LEVEL,
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_DIR / "cchc.log",
            "maxBytes": 5 * 1024 * 1024,
            "backupCount": 10,
            "encoding": "utf-8",
            "delay": True,
            "formatter": "file",
        },
    },
    "root": {"handlers": ["console", "file"], "level": LOG_LEVEL},
}
