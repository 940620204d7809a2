"""kefu settings: zero-config development defaults, everything else from KEFU_* environment variables."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kefu.core.env import database_from_url, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("KEFU_DATA_DIR", str(Path.cwd() / "var"))).resolve()
# The SQLite database and huey's queue live here; a fresh checkout must start without a manual mkdir.
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("KEFU_DEBUG", True)
# The development key is only ever used with DEBUG on; production must set its own.
SECRET_KEY = env_str("KEFU_SECRET_KEY", "kefu-insecure-development-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env_list("KEFU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "huey.contrib.djhuey",
    "kefu.core",
    "kefu.api",
    "kefu.accounts",
    "kefu.audit",
    "kefu.customers",
    "kefu.tickets",
    "kefu.packs",
    "kefu.notify",
    "kefu.sla",
    "kefu.cti",
    "kefu.web",
    "kefu.phrases",
    "kefu.knowledge",
    "kefu.memos",
    "kefu.briefing",
    "kefu.search",
    "kefu.callbacks",
    "kefu.surveys",
    "kefu.campaigns",
    "kefu.workforce",
    "kefu.quality",
    "kefu.training",
    "kefu.kpi",
    "kefu.reports",
    "kefu.utility",
    "kefu.enterprise",
    "kefu.provision",
    "kefu.presence",
    "kefu.chat",
    "kefu.demo",
    "kefu.bench",
    "kefu.channels",
    "kefu.attendance",
    "kefu.shiftlog",
    "kefu.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the app itself, compressed and cached, also with KEFU_DEBUG=0 under gunicorn.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kefu.ops.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: an unauthenticated write gets 401 before its body is judged.
    "kefu.api.middleware.ApiContractMiddleware",
    "kefu.accounts.idle.IdleTimeoutMiddleware",
    # After the idle check: a session that still owes its second factor or a new password goes there first.
    "kefu.web.gate.LoginStepsMiddleware",
    # Names and phones typed into a search are kept in the session, never in the address (PIPL).
    "kefu.web.privatequery.PrivateQueryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kefu.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "kefu.urls"
WSGI_APPLICATION = "kefu.wsgi.application"
ASGI_APPLICATION = "kefu.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kefu.web.nav.context",
            ],
        },
    },
]

_database_url = env_str("KEFU_DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("KEFU_SQLITE_PATH", str(DATA_DIR / "kefu.sqlite3")),
            # A file, not pytest's in-memory default: the race tests run real transactions in several threads.
            # One per process, so that two test runs on one machine never share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                # IMMEDIATE: a read-then-write transaction takes the write lock up front, so two
                # concurrent ones wait for each other instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # WAL lets readers run beside the one writer. synchronous=NORMAL in WAL mode never
                # corrupts the file and survives an application crash; only an OS crash or power loss
                # can undo the last commits. KEFU_SQLITE_SYNCHRONOUS=FULL trades speed for that too.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    f"PRAGMA synchronous={env_choice('KEFU_SQLITE_SYNCHRONOUS', 'NORMAL', ['NORMAL', 'FULL'])};"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA temp_store=MEMORY;"
                    f"PRAGMA wal_autocheckpoint={env_int('KEFU_SQLITE_AUTOCHECKPOINT', 1000)};"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy (MLPS level 3): length and character classes, configurable.
KEFU_PASSWORD_MIN_LENGTH = env_int("KEFU_PASSWORD_MIN_LENGTH", 10)
KEFU_PASSWORD_CLASSES = env_int("KEFU_PASSWORD_CLASSES", 3)
if KEFU_PASSWORD_MIN_LENGTH < 8 or not 1 <= KEFU_PASSWORD_CLASSES <= 4:
    raise ImproperlyConfigured("KEFU_PASSWORD_MIN_LENGTH must be at least 8, KEFU_PASSWORD_CLASSES 1 to 4")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": KEFU_PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "kefu.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "kefu.accounts.passwords.PasswordHistoryValidator"},
]
# How many earlier passwords a new one may not repeat, and after how many days a password must be changed
# (0: never expires). MLPS level 3 asks for both; 90 days is the usual audit expectation.
KEFU_PASSWORD_HISTORY = env_int("KEFU_PASSWORD_HISTORY", 5)
KEFU_PASSWORD_MAX_AGE_DAYS = env_int("KEFU_PASSWORD_MAX_AGE_DAYS", 90)
if KEFU_PASSWORD_HISTORY < 0 or KEFU_PASSWORD_MAX_AGE_DAYS < 0:
    raise ImproperlyConfigured("KEFU_PASSWORD_HISTORY and KEFU_PASSWORD_MAX_AGE_DAYS must not be negative")
# Administrators, security administrators and auditors log in with a TOTP second factor (MLPS level 3);
# 0 turns the requirement off (a development machine), others may still turn it on for themselves.
KEFU_TWO_FACTOR_REQUIRED = env_bool("KEFU_TWO_FACTOR_REQUIRED", True)
# A browser session idle this long is logged out (0: never).
KEFU_IDLE_MINUTES = env_int("KEFU_IDLE_MINUTES", 30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("KEFU_TIME_ZONE", "Asia/Shanghai")
# The name agents say on outbound calls (callback script: "这里是…客服部，我的工号是…").
KEFU_CENTER_NAME = env_str("KEFU_CENTER_NAME", "客服中心")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks there first; `kefu collectstatic` fills it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # gzip/brotli copies made by `kefu collectstatic`; without it WhiteNoise serves the packaged files directly.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the files shipped in the package without a collectstatic step; collected files (STATIC_ROOT) win.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = env_int("KEFU_STATIC_MAX_AGE", 0 if DEBUG else 3600)

# A ticket body larger than this is refused with 413 (body_too_large) before anything is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KEFU_MAX_BODY_BYTES", 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("KEFU_SECURE_COOKIES", False)
# Login throttling (SE3, kefu.accounts.throttle): after this many failed logins for one user name within the window,
# that name is locked for the window; the same from one address (0 turns the address limit off — behind a proxy
# every login comes from the proxy's address).
AUTHENTICATION_BACKENDS = ["kefu.accounts.throttle.ThrottledModelBackend"]
KEFU_LOGIN_FAILURES = env_int("KEFU_LOGIN_FAILURES", 5)
KEFU_LOGIN_ADDRESS_FAILURES = env_int("KEFU_LOGIN_ADDRESS_FAILURES", 100)
KEFU_LOGIN_LOCK_MINUTES = env_int("KEFU_LOGIN_LOCK_MINUTES", 15)
if KEFU_LOGIN_FAILURES < 1 or KEFU_LOGIN_LOCK_MINUTES < 1 or KEFU_LOGIN_ADDRESS_FAILURES < 0:
    raise ImproperlyConfigured("KEFU_LOGIN_FAILURES and KEFU_LOGIN_LOCK_MINUTES must be at least 1, "
                               "KEFU_LOGIN_ADDRESS_FAILURES at least 0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("KEFU_LOG_LEVEL", "INFO")},
}

# Background worker (huey): SQLite storage next to the database by default, Redis when KEFU_REDIS_URL is set.
_redis_url = env_str("KEFU_REDIS_URL")
HUEY = {
    "name": "kefu",
    "immediate": False,
    "utc": True,
    "consumer": {"workers": env_int("KEFU_WORKERS", 2), "worker_type": "thread", "periodic": True},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Search documents of changed tickets are written by the worker just after the commit (kefu.search.pending).
# True writes them inside the change instead: the tests set it, since their transactions never commit.
SEARCH_INDEX_INLINE = False

# Outbound email (notifications). With no KEFU_EMAIL_HOST, development needs no mail server: messages
# are written as files to $KEFU_DATA_DIR/mail instead.
EMAIL_HOST = env_str("KEFU_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_PORT = env_int("KEFU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KEFU_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KEFU_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KEFU_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("KEFU_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("KEFU_EMAIL_FROM", "kefu@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS (notifications): file (JSON lines in $KEFU_DATA_DIR/sms.jsonl) by default, console, or a vendor.
# The vendor settings are checked at start-up by kefu.notify's system checks (kefu.notify.E00x).
SMS_BACKEND = env_choice("KEFU_SMS_BACKEND", "file", ["CONSOLE", "FILE", "ALIYUN", "TENCENT"]).lower()
SMS_FILE_PATH = env_str("KEFU_SMS_FILE", str(DATA_DIR / "sms.jsonl"))
SMS_KEY_ID = env_str("KEFU_SMS_KEY_ID")  # Alibaba Cloud AccessKeyId / Tencent Cloud SecretId
SMS_KEY_SECRET = env_str("KEFU_SMS_KEY_SECRET")  # AccessKeySecret / SecretKey
SMS_SIGN_NAME = env_str("KEFU_SMS_SIGN_NAME")  # the approved signature (签名)
SMS_APP_ID = env_str("KEFU_SMS_APP_ID")  # Tencent Cloud SmsSdkAppId
SMS_REGION = env_str("KEFU_SMS_REGION")  # empty: cn-hangzhou (Alibaba) / ap-guangzhou (Tencent)
SMS_ENDPOINT = env_str("KEFU_SMS_ENDPOINT")  # empty: the vendor's public API
SMS_TIMEOUT = env_int("KEFU_SMS_TIMEOUT", 10)
# kind=TEMPLATE_ID[:variable…], comma-separated, e.g. sla_breach=SMS_123:ticket:minutes; the default
# template (TEMPLATE_ID[:variable…]) serves every other kind. `text` and `subject` are variables too.
SMS_TEMPLATES = env_list("KEFU_SMS_TEMPLATES", [])
SMS_DEFAULT_TEMPLATE = env_str("KEFU_SMS_DEFAULT_TEMPLATE")

# Satisfaction surveys (CB3): the address customers reach kefu at (links in SMS and email), and how long a
# survey link stays open.
PUBLIC_URL = env_str("KEFU_PUBLIC_URL", "http://127.0.0.1:8000")
if not PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"KEFU_PUBLIC_URL must start with http:// or https://, got {PUBLIC_URL!r}")
# Served over https (behind the reverse proxy, which sets X-Forwarded-Proto): cookies only over https, and HSTS.
if PUBLIC_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("KEFU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KEFU_HSTS_SUBDOMAINS", False)
SURVEY_LINK_DAYS = env_int("KEFU_SURVEY_LINK_DAYS", 7)

# The audit log is kept this many days (MLPS level 3 and the Cybersecurity Law: at least six months).
KEFU_AUDIT_RETENTION_DAYS = env_int("KEFU_AUDIT_RETENTION_DAYS", 365)
if KEFU_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("KEFU_AUDIT_RETENTION_DAYS must be at least 180 (six months)")

# Retention of personal data (kefu.ops.retention), in days; 0 keeps it. The worker applies it nightly at 03:30.
KEFU_RETAIN_TICKET_DAYS = env_int("KEFU_RETAIN_TICKET_DAYS", 1095)  # after a ticket was closed
KEFU_RETAIN_RECORDING_DAYS = env_int("KEFU_RETAIN_RECORDING_DAYS", 180)  # after the call
KEFU_RETAIN_CHAT_DAYS = env_int("KEFU_RETAIN_CHAT_DAYS", 365)  # after the chat ended
if min(KEFU_RETAIN_TICKET_DAYS, KEFU_RETAIN_RECORDING_DAYS, KEFU_RETAIN_CHAT_DAYS) < 0:
    raise ImproperlyConfigured("KEFU_RETAIN_*_DAYS must not be negative (0 keeps the data)")

# Backups (kefu.ops.backup): `kefu backup`, and the worker every night at KEFU_BACKUP_HOUR (local time, -1: off).
KEFU_BACKUP_DIR = env_str("KEFU_BACKUP_DIR", str(DATA_DIR / "backups"))
KEFU_BACKUP_HOUR = env_int("KEFU_BACKUP_HOUR", 2)
KEFU_BACKUP_KEEP_DAYS = env_int("KEFU_BACKUP_KEEP_DAYS", 14)
KEFU_BACKUP_KEEP_MIN = env_int("KEFU_BACKUP_KEEP_MIN", 3)
if KEFU_BACKUP_HOUR > 23 or KEFU_BACKUP_KEEP_DAYS < 1 or KEFU_BACKUP_KEEP_MIN < 1:
    raise ImproperlyConfigured("KEFU_BACKUP_HOUR must be -1..23, KEFU_BACKUP_KEEP_DAYS and KEFU_BACKUP_KEEP_MIN "
                               "at least 1")
if SURVEY_LINK_DAYS < 1:
    raise ImproperlyConfigured("KEFU_SURVEY_LINK_DAYS must be at least 1")

# Web chat (CH2) and live updates. With KEFU_REDIS_URL the app servers share live events over Redis pub/sub.
REALTIME_REDIS_URL = _redis_url
CHAT_IMAGE_MAX_BYTES = env_int("KEFU_CHAT_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
# Requests per minute to the widget's public endpoints: per visitor (chat token) and per client address.
CHAT_RATE_VISITOR = env_int("KEFU_CHAT_RATE_VISITOR", 60)
CHAT_RATE_ADDRESS = env_int("KEFU_CHAT_RATE_ADDRESS", 600)
if CHAT_IMAGE_MAX_BYTES < 1024 or CHAT_RATE_VISITOR < 1 or CHAT_RATE_ADDRESS < 1:
    raise ImproperlyConfigured("KEFU_CHAT_IMAGE_MAX_BYTES must be at least 1024, KEFU_CHAT_RATE_* at least 1")
