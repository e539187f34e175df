"""An id of what this deployment renders with: templates, catalogs, static names, centre details.

Part of every ETag, so a deploy (new wording, a new phone number) never answers 304 with
the page a browser kept from before. The same on every worker and host of one release.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings


@lru_cache(maxsize=1)
def release_id() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    files = [
        *sorted((base / "templates").rglob("*.html")),
        *sorted((base / "locale").rglob("*.mo")),
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(path.anchor).as_posix().encode())
            digest.update(path.read_bytes())
    centre = sorted(
        (name, str(getattr(settings, name))) for name in dir(settings) if name.startswith("CENTRE_")
    )
    digest.update(repr(centre).encode())
    return digest.hexdigest()[:16]
