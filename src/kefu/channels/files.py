"""Attachments on disk: content-addressed files under $KEFU_DATA_DIR/attachments, with a size limit and a
type check that looks at the bytes, not only at the name the sender gave."""

import hashlib
import os
from pathlib import Path

from django.conf import settings

# Extensions accepted, each with the leading bytes its files must start with (None: plain text, no magic).
_MAGIC: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",), ".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",), ".bmp": (b"BM",), ".tif": (b"II*\x00", b"MM\x00*"), ".tiff": (b"II*\x00", b"MM\x00*"),
    ".webp": (b"RIFF",), ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",), ".zip": (b"PK\x03\x04",), ".rar": (b"Rar!",), ".7z": (b"7z\xbc\xaf",),
    ".wps": (b"\xd0\xcf\x11\xe0",), ".et": (b"\xd0\xcf\x11\xe0",), ".ofd": (b"PK\x03\x04",),
    ".mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3"), ".amr": (b"#!AMR",), ".wav": (b"RIFF",), ".mp4": None,
    ".txt": None, ".csv": None, ".eml": None, ".ics": None, ".vcf": None,
}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!/", b"\xca\xfe\xba\xbe")
_GUESS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
          "image/tiff": ".tif", "text/plain": ".txt", "message/rfc822": ".eml", "text/csv": ".csv"}


def root() -> Path:
    """Where attachment files live."""
    return Path(getattr(settings, "CHANNELS_FILES_DIR", "") or Path(settings.DATA_DIR) / "attachments")


def check(filename: str, content_type: str, data: bytes, *, limit: int) -> str:
    """'' when the file may be stored, else the refusal code: too_large or type_not_allowed."""
    if len(data) > limit:
        return "too_large"
    ext = os.path.splitext(filename.lower())[1] or _GUESS.get(content_type, "")
    if ext not in _MAGIC or data.startswith(_EXECUTABLE):
        return "type_not_allowed"
    magic = _MAGIC[ext]
    if magic is not None and not data.startswith(magic):
        return "type_not_allowed"  # a renamed file: claims to be a PDF, is something else
    return ""


def store(data: bytes) -> tuple[str, str]:
    """Write `data` once (named by its SHA-256) and return (relative path, sha256). Rewriting is harmless."""
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{digest[:2]}/{digest[2:4]}/{digest}"
    path = root() / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    return rel, digest


def open_file(rel: str):
    """The stored file for reading (binary)."""
    path = (root() / rel).resolve()
    if root().resolve() not in path.parents:
        raise FileNotFoundError(rel)
    return path.open("rb")
