"""Settings for the test suite: the real settings with a throwaway index and fast hashing."""

import tempfile

from contactcenter.settings import *
from contactcenter.settings import HAYSTACK_CONNECTIONS

# haystack binds its connections at import time, so the index must point at a
# temporary directory before anything imports haystack.
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="contactcenter-test-index-")
HAYSTACK_CONNECTIONS["default"]["PATH"] = SEARCH_INDEX_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Every request reaches its view; the page cache's own tests turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Count views straight into the database, so tests see them at once.
PUBLIC_VIEW_FLUSH_SECONDS = 0
# Enough demo inquiries to show every shape, few enough to keep the suite fast.
DEMO_INQUIRIES = 500
# Scanned pages, e-mails and attachments go to a throwaway folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="contactcenter-test-media-")
