"""Settings for contactcenter, read from the environment (see .env.example).

Development needs no variables at all: SQLite and the search index under var/,
DEBUG on. Production sets DEBUG=0 and must then supply a real SECRET_KEY and PUBLIC_BASE_URL.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105 (refused when DEBUG is off)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is missing, the development key or shorter than 50 "
        "characters. Set SECRET_KEY to a long random value (see .env.example)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Origins (e.g. the city's main web site) allowed to call the JSON API from a browser.
API_CORS_ORIGINS = env.list("API_CORS_ORIGINS", default=[])
# The address citizens reach the public site at (scheme, host and port only), the base of every
# absolute link (contactcenter/links.py). Development may leave it unset: links then follow the
# host and port of each request.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
if not DEBUG and not PUBLIC_BASE_URL:
    raise ImproperlyConfigured(
        "DEBUG is off but PUBLIC_BASE_URL is missing. Set it to the address citizens use, e.g. "
        "PUBLIC_BASE_URL=https://faq.city.example.jp (see .env.example); canonical links, the "
        "sitemap, the API and e-mails link to it."
    )
_public_base = urlsplit(PUBLIC_BASE_URL)
if PUBLIC_BASE_URL and (
    _public_base.scheme not in ("http", "https") or not _public_base.netloc or _public_base.path
):
    raise ImproperlyConfigured(
        f"PUBLIC_BASE_URL={PUBLIC_BASE_URL!r} is not a site address: give the scheme and host "
        "(and port) only, e.g. https://faq.city.example.jp."
    )
# Search log rows (queries already masked) are deleted after this many days.
SEARCH_LOG_RETENTION_DAYS = env.int("SEARCH_LOG_RETENTION_DAYS", default=365)
# Callers' personal data (contacts, e-mails as received, attachments, what they wrote and what
# was written back to them) of inquiries closed this many days ago is erased by
# `manage.py purge_personal_data`; the inquiries and every figure stay. A year covers a
# fiscal year's follow-up questions and complaints about an answer.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=365)
# The audit log names staff and the ids of citizens' rows, so it is personal data too and is
# erased after this many days by the same command. Five years: Japanese municipalities keep
# access logs for one to five years, and the longest lets an inquiry about a leak reach back to
# the oldest personal data the centre could still have held (the retention period above).
AUDIT_LOG_RETENTION_DAYS = env.int("AUDIT_LOG_RETENTION_DAYS", default=5 * 365)

INSTALLED_APPS = [
    "contactcenter",  # the project's own commands (load_demo_data)
    "contactcenter.accounts",
    "knowledgebase",
    "inquiries",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "haystack",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so a page served from it carries the same policy.
    "csp.middleware.CSPMiddleware",
    "contactcenter.lib.security_headers.PermissionsPolicyMiddleware",
    "contactcenter.middleware.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "contactcenter.middleware.LocaleMiddleware",
    # After the language is known, before anything reads the session or the user.
    "contactcenter.middleware.SurgeCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "contactcenter.accounts.middleware.SessionLimitMiddleware",
    "contactcenter.accounts.middleware.SecondFactorMiddleware",
    "contactcenter.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with its own page.
    "axes.middleware.AxesMiddleware",
]

# The internet-facing host of a two-host deployment (README, "Network separation"): only the
# public FAQ, its search, the JSON API, feedback, the contact form and the open data exist there
# (contactcenter/urls_public.py); its database role reads no staff table (public_role_grants).
PUBLIC_ONLY = env.bool("PUBLIC_ONLY", default=False)
ROOT_URLCONF = "contactcenter.urls_public" if PUBLIC_ONLY else "contactcenter.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contactcenter.context_processors.centre",
                "contactcenter.context_processors.public_site",
                "contactcenter.context_processors.staff_menu",
            ],
        },
    },
]

WSGI_APPLICATION = "contactcenter.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# A restarted PostgreSQL must not cost each worker a 500 on its first request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers and the indexer share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and other counters must hold across all gunicorn workers, so the
# default cache is the database, which every worker shares.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://django_cache")}
if PUBLIC_ONLY:
    # The database cache holds pickles that staff hosts load: a public host that could write
    # it could run code on them. It keeps its cache in each worker's memory (or a server of
    # its own), and its database role has no cache table.
    CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        raise ImproperlyConfigured(
            "PUBLIC_ONLY=1 with a database cache: the public host must not write the cache the "
            "staff hosts read. Leave CACHE_URL unset (each worker's memory) or name a cache of its own."
        )

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its user name and address are locked out, before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT failures, one user name from one address
# is refused for LOGIN_LOCKOUT_MINUTES. Counted in the database, so across every worker and host;
# by name *and* address, so someone guessing from one machine cannot lock every operator out.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "contactcenter.lib.ratelimit.visitor_ip"
AXES_RESET_ON_SUCCESS = True
# The wait the message names is the wait: more tries while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "contactcenter.accounts.signin.locked_out"
# Sign-ins and failures go to the audit log (AuditEvent); axes keeps no second log of addresses.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP as RFC 6238): optional for everyone, required for these
# roles (comma separated, e.g. leader,supervisor,administrator). New devices enrolled on the
# enrolment page get these digits and time step; hardware tokens registered in the admin keep theirs.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_DIGITS = env.int("OTP_TOTP_DIGITS", default=6)
OTP_TOTP_STEP = env.int("OTP_TOTP_STEP", default=30)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions: idle timeout of 30 minutes of inactivity during opening hours work,
# renewed on every request (NIST 800-63B AAL2 idle limit).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# However active, a sign-in ends this many hours after it began (accounts.middleware); the console
# keeps the idle limit from ending a call and keeps what was typed across signing in again.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PUBLIC_ONLY:
    # Nobody signs in on the public host, and its role cannot read the session table: an
    # (empty) anonymous session lives in a signed cookie, so no cookie a visitor sends makes a
    # page read the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

LANGUAGE_CODE = "ja"
# Every interface language has a complete catalog (tests/test_translations.py checks it),
# so no page is ever marked with a language it is not written in.
LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ko", _("Korean")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "uploads"))

SEARCH_INDEX_DIR = env.path("SEARCH_INDEX_DIR", default=str(VAR_DIR / "search_index"))
# Ranking weights fitted by `manage.py fit_search_ranking` (a JSON file); empty: the shipped ones.
SEARCH_RANKING_WEIGHTS = env.str("SEARCH_RANKING_WEIGHTS", default="")
# Re-rank by closeness of query and question as sentences (knowledgebase/search/sentences.py);
# off: search ranks without them (~25 ms less CPU per new query).
SEARCH_SENTENCE_VECTORS = env.bool("SEARCH_SENTENCE_VECTORS", default=True)
# Cores one sentence vector is computed on (OpenMP threads per process). More than one makes a
# single search faster on an idle machine but, with a worker per core, far slower under load.
SEARCH_SENTENCE_THREADS = env.int("SEARCH_SENTENCE_THREADS", default=1)
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "knowledgebase.search.backend.JapaneseWhooshEngine",
        "PATH": str(SEARCH_INDEX_DIR),
    },
}

# The centre's public contact details, shown on every public page and error page.
CENTRE_NAME = env.str("CENTRE_NAME", default="市役所コールセンター")
CENTRE_NAME_EN = env.str("CENTRE_NAME_EN", default="City Call Center")
# The name authenticator apps show beside a staff member's two-factor entry.
OTP_TOTP_ISSUER = CENTRE_NAME_EN
CENTRE_NAME_ZH_HANS = env.str("CENTRE_NAME_ZH_HANS", default="市政府呼叫中心")
CENTRE_NAME_KO = env.str("CENTRE_NAME_KO", default="시청 콜센터")
CENTRE_PHONE = env.str("CENTRE_PHONE", default="011-000-1234")
CENTRE_FAX = env.str("CENTRE_FAX", default="011-000-1235")
CENTRE_EMAIL = env.str("CENTRE_EMAIL", default="callcenter@city.example.jp")
CENTRE_OPENS = env.str("CENTRE_OPENS", default="08:00")
CENTRE_CLOSES = env.str("CENTRE_CLOSES", default="21:00")
# Interface languages besides Japanese that the centre answers in by phone (comma separated,
# e.g. en,zh-hans,ko): search results in Japanese then say so, with the number.
CENTRE_PHONE_LANGUAGES = env.list("CENTRE_PHONE_LANGUAGES", default=[])
# Days the centre is closed, comma separated: MM-DD every year (12-31) or one date (2027-01-02).
CENTRE_CLOSED_DAYS = env.list("CENTRE_CLOSED_DAYS", default=[])
# The public pages link to the centre's own contact form (/contact/). A city that keeps its
# messages in another system sets that form's address here, and the links go there instead.
CENTRE_CONTACT_FORM_URL = env.str("CENTRE_CONTACT_FORM_URL", default="")
# The centre's postal address and letterhead line, printed on fax and letter replies.
CENTRE_ADDRESS = env.str("CENTRE_ADDRESS", default="〒060-0000 札幌市中央区北1条西2丁目")
CENTRE_LETTERHEAD = env.str("CENTRE_LETTERHEAD", default="市役所 市民の声を聞く課 コールセンター")

# Outgoing mail (replies to citizens, contact-form confirmations, departments' escalation
# notices): an EMAIL_URL such as smtp+tls://user:password@mail.city.example.jp:587. Development
# prints mail to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=CENTRE_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Scanned pages and e-mail attachments larger than this are refused (the raw e-mail keeps them).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# A department's reply to an escalation is due this many working days later (Japanese public
# holidays and 29 December–3 January are closed days).
ESCALATION_REPLY_WORKING_DAYS = env.int("ESCALATION_REPLY_WORKING_DAYS", default=5)

# The city's wards for "where the caller lives" (code:name, comma-separated), Sapporo's ten by default.
CITY_AREAS = env.list(
    "CITY_AREAS",
    default=[
        "chuo:中央区",
        "kita:北区",
        "higashi:東区",
        "shiroishi:白石区",
        "toyohira:豊平区",
        "minami:南区",
        "nishi:西区",
        "atsubetsu:厚別区",
        "teine:手稲区",
        "kiyota:清田区",
    ],
)

# Demo inquiries `manage.py load_demo_data` makes (two fiscal years; only missing ones are added).
DEMO_INQUIRIES = env.int("DEMO_INQUIRIES", default=100_000)

# The accessibility statement (/accessibility/): when and how the site was last tested.
ACCESSIBILITY_TESTED_ON = env.str("ACCESSIBILITY_TESTED_ON", default="2026-11-23")

# Each worker serves an anonymous public page it rendered again for this many seconds (0: never),
# for the surge after a disaster (contactcenter/lib/page_cache.py). At most 5, so a new or ended
# notice and a published change show within 5 seconds.
PUBLIC_PAGE_CACHE_SECONDS = env.float("PUBLIC_PAGE_CACHE_SECONDS", default=5.0)
if not 0 <= PUBLIC_PAGE_CACHE_SECONDS <= 5:
    raise ImproperlyConfigured("PUBLIC_PAGE_CACHE_SECONDS must be between 0 and 5.")

# Public page views are counted in each worker and added to the database this often.
PUBLIC_VIEW_FLUSH_SECONDS = env.float("PUBLIC_VIEW_FLUSH_SECONDS", default=10.0)
# "Was this helpful?" answers one visitor (address) may send: per hour in all, per day per Q&A.
FEEDBACK_LIMIT_PER_HOUR = env.int("FEEDBACK_LIMIT_PER_HOUR", default=20)
FEEDBACK_LIMIT_PER_QA_PER_DAY = env.int("FEEDBACK_LIMIT_PER_QA_PER_DAY", default=3)
# The contact form: messages one visitor (address) may send an hour; confirmation e-mails one
# address may receive a day; the largest form post read (bytes); the working days within which
# the centre tells citizens to expect a reply.
CONTACT_FORM_LIMIT_PER_HOUR = env.int("CONTACT_FORM_LIMIT_PER_HOUR", default=5)
CONTACT_CONFIRMATIONS_PER_ADDRESS_PER_DAY = env.int("CONTACT_CONFIRMATIONS_PER_ADDRESS_PER_DAY", default=3)
CONTACT_FORM_MAX_BYTES = env.int("CONTACT_FORM_MAX_BYTES", default=64 * 1024)
CONTACT_FORM_REPLY_DAYS = env.int("CONTACT_FORM_REPLY_DAYS", default=5)
# The request header holding the visitor's address: REMOTE_ADDR, or behind a proxy that
# overwrites it, e.g. HTTP_X_REAL_IP.
VISITOR_ADDRESS_HEADER = env.str("VISITOR_ADDRESS_HEADER", default="REMOTE_ADDR")

# HTTPS by default: with DEBUG off, cookies are sent only over TLS, plain-HTTP requests are
# redirected and browsers are told (HSTS) to use HTTPS for a year. ALLOW_PLAIN_HTTP=1 turns all
# of it off for a test host served over plain HTTP (make bench on loopback); never in production.
ALLOW_PLAIN_HTTP = env.bool("ALLOW_PLAIN_HTTP", default=False)
HTTPS_ONLY = not DEBUG and not ALLOW_PLAIN_HTTP
# TLS ends at the proxy in front of gunicorn, which tells the scheme in X-Forwarded-Proto. Trusted
# by default when HTTPS is enforced: without it every request through the proxy looks like plain
# HTTP and the redirect loops. A client reaching gunicorn directly could claim HTTPS, which only
# spares its own request the redirect (the cookies stay Secure); bind gunicorn to the proxy's
# network only. BEHIND_TLS_PROXY=0 where gunicorn terminates TLS itself.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=HTTPS_ONLY) else None
)
SECURE_SSL_REDIRECT = HTTPS_ONLY
# Load balancers probe /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS_ONLY else 0)
# The city's other hosts share its domain and may not all serve HTTPS yet: HSTS covers this host
# only and is not submitted for browsers' preload lists, unless the city asks for it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from our own static files: no inline script, style attribute or
# event handler runs, so injected markup cannot either. JSON-LD blocks are data, not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Cross-Origin-Opener-Policy: same-origin is Django's default (SECURE_CROSS_ORIGIN_OPENER_POLICY).
# Browser features no page uses, refused for any script that might ask.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SILENCED_SYSTEM_CHECKS = [
    # security.W005 (HSTS without includeSubDomains) and security.W021 (no preload): deliberate,
    # see SECURE_HSTS_INCLUDE_SUBDOMAINS above; a city that wants them sets both variables.
    "security.W005",
    "security.W021",
]

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "filters": {
        "permission_denied_without_traceback": {
            "()": "contactcenter.lib.log_filters.PermissionDeniedWithoutTraceback",
        },
        "database_down_without_traceback": {
            "()": "contactcenter.lib.log_filters.DatabaseDownWithoutTraceback",
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # django.request logs every 5xx with the request path and traceback, but each 403 as
        # one warning line (path and user id), and each 503 of a database out of reach as one
        # warning line with the driver's reason.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {
            "filters": ["permission_denied_without_traceback", "database_down_without_traceback"]
        },
        # django-axes reports every sign-in at INFO; lockouts are warnings, and the audit log has the rest.
        "axes": {"level": "WARNING"},
    },
}
