"""Scanned fax and letter pages and e-mail attachments: checked by their content, stored under
MEDIA_ROOT (outside the web root), a TIFF turned into a PDF a browser can show."""

from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError

from contactcenter.accounts.models import User
from inquiries.models import Attachment, InboundEmail, Inquiry

logger = logging.getLogger(__name__)

# The signatures that open each kind of file we keep (the first bytes, whatever the name says).
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", Attachment.Kind.PDF),
    (b"\x89PNG\r\n\x1a\n", Attachment.Kind.PNG),
    (b"\xff\xd8\xff", Attachment.Kind.JPEG),
    (b"II*\x00", Attachment.Kind.TIFF),
    (b"MM\x00*", Attachment.Kind.TIFF),
]
EXTENSIONS = {
    Attachment.Kind.PDF: ".pdf",
    Attachment.Kind.PNG: ".png",
    Attachment.Kind.JPEG: ".jpg",
    Attachment.Kind.TIFF: ".tif",
}
# Pillow refuses images over this many pixels (a decompression bomb); an A4 page at 400 dpi
# is about 15 million.
MAX_PIXELS = 100_000_000


class AttachmentRefused(Exception):
    """A file that is not kept; the message says why and what to do instead."""


def detect_kind(data: bytes) -> str | None:
    """The file's type from its first bytes, or None for anything we do not keep."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def clean_name(name: str) -> str:
    """The file's own name without any folder, control character or over-long tail."""
    name = unicodedata.normalize("NFC", PurePath(name.replace("\\", "/")).name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-200:] or _("attachment")


def _check_image(data: bytes, kind: str) -> Image.Image | None:
    if kind == Attachment.Kind.PDF:
        if b"%%EOF" not in data[-2048:]:
            raise AttachmentRefused(_("This PDF is incomplete or damaged. Scan or save it again."))
        return None
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()  # reads the whole file; a damaged one raises
        return Image.open(io.BytesIO(data))  # verify() leaves the image unusable
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise AttachmentRefused(
            _("This image is damaged or not what its type says. Scan it again.")
        ) from error


def tiff_as_pdf(image: Image.Image) -> bytes:
    """Every page of a TIFF as one PDF (browsers do not show TIFF)."""
    pages = []
    for frame in ImageSequence.Iterator(image):
        page = frame.convert("L" if frame.mode in ("1", "L", "I;16") else "RGB")
        pages.append(page.copy())
    out = io.BytesIO()
    resolution = float((image.info.get("dpi") or (200, 200))[0]) or 200.0
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=resolution)
    return out.getvalue()


def check_attachment(*, name: str, data: bytes) -> str:
    """The file's kind if it may be kept; AttachmentRefused saying why otherwise."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(data) > limit:
        raise AttachmentRefused(
            _("%(name)s is larger than %(limit)s. Split it or scan it at a lower resolution.")
            % {"name": clean_name(name), "limit": filesizeformat(limit)}
        )
    if not data:
        raise AttachmentRefused(_("%(name)s is empty.") % {"name": clean_name(name)})
    kind = detect_kind(data)
    if kind is None:
        raise AttachmentRefused(
            _("%(name)s is not a PDF, PNG, JPEG or TIFF file (whatever its name says).")
            % {"name": clean_name(name)}
        )
    return kind


@transaction.atomic
def add_attachment(
    *,
    inquiry: Inquiry,
    name: str,
    data: bytes,
    uploaded_by: User | None = None,
    email: InboundEmail | None = None,
) -> Attachment:
    """Keep a file with an inquiry (a scanned page, or an attachment of one of its e-mails).

    Checked by its content (PDF, PNG, JPEG or TIFF up to ATTACHMENT_MAX_BYTES); a TIFF also
    gets a PDF preview. Raises AttachmentRefused, keeping nothing, for anything else.
    """
    kind = check_attachment(name=name, data=data)
    image = _check_image(data, kind)
    preview = b""
    if kind == Attachment.Kind.TIFF:
        try:
            preview = tiff_as_pdf(image)
        except (OSError, ValueError) as error:
            logger.warning("TIFF attachment for inquiry %s could not be converted: %s", inquiry.pk, error)
            raise AttachmentRefused(_("This TIFF cannot be shown. Scan it again as PDF.")) from error
    stored = uuid.uuid4().hex
    attachment = Attachment(
        inquiry=inquiry,
        email=email,
        name=clean_name(name),
        content_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
    )
    attachment.file.save(stored + EXTENSIONS[kind], ContentFile(data), save=False)
    if preview:
        attachment.preview.save(stored + ".pdf", ContentFile(preview), save=False)
    try:
        attachment.save()
    except Exception:
        _delete_files(attachment)
        raise
    return attachment


def _delete_files(attachment: Attachment) -> None:
    for stored in (attachment.file, attachment.preview):
        if stored:
            stored.delete(save=False)
