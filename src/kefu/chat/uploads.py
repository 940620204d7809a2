"""Pictures a visitor or agent sends: images only, checked by decoding them, never trusting the file name."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

ALLOWED = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def clean_image(data: bytes, *, field: str = "image") -> str:
    """The picture's content type; refuses an oversize file or anything Pillow cannot read as PNG/JPEG/GIF/WebP."""
    limit = settings.CHAT_IMAGE_MAX_BYTES
    if len(data) > limit:
        raise ValidationFailed(_("The picture is larger than %(mb)s MB.") % {"mb": round(limit / 1048576, 1)},
                               code="too_large", field=field, params={"limit": limit})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    if kind not in ALLOWED:
        raise ValidationFailed(_("Only pictures (PNG, JPEG, GIF, WebP) can be sent."), code="not_an_image",
                               field=field, params={"allowed": sorted(ALLOWED.values())})
    return ALLOWED[kind]
