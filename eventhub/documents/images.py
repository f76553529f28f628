"""Uploaded signature and logo images: checked, then re-encoded.

Only PNG and JPEG are taken, at most MAX_BYTES and MAX_SIDE pixels a side. The stored image is a
fresh PNG drawn from the decoded pixels: whatever else the upload carried (metadata, trailing
bytes, a second file glued on) is not kept and never reaches a PDF.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _

from eventhub.errors import DomainError

MAX_BYTES = 1_000_000
MAX_SIDE = 2000
# A decompression bomb: a small file that decodes to a huge picture.
MAX_PIXELS = 8_000_000


def reencode_image(data: bytes, *, field: str) -> bytes:
    """A PNG re-encoding of an uploaded PNG or JPEG, or DomainError naming `field`."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise DomainError(_("The file is empty."), field=field)
    if len(data) > MAX_BYTES:
        raise DomainError(_("The image is larger than %(size)s MB. Save it smaller and upload it again.",
                            size="1"), field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ("PNG", "JPEG"):
                raise DomainError(_("Upload a PNG or JPEG image."), field=field)
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise DomainError(_("The image is %(width)s × %(height)s pixels; at most %(max)s a side.",
                                    width=width, height=height, max=MAX_SIDE), field=field)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DomainError(_("The file is not a readable PNG or JPEG image."), field=field) from exc
