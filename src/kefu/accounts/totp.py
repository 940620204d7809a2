"""TOTP second factor (RFC 6238, pyotp): secrets sealed at rest, codes accepted once, the enrolment QR code.

The secret is sealed with Fernet under a key derived from the server's SECRET_KEY, so a copy of the database
(a backup, a dump handed to a vendor) does not hand out working authenticators. Changing SECRET_KEY therefore
invalidates every enrolled authenticator: the security administrator resets them and users enrol again.
"""

import base64
import hashlib
import hmac
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

ISSUER = "kefu"
# Codes of the step before and after the current one are accepted too: phone clocks drift by some seconds.
DRIFT_STEPS = 1


def _fernet() -> Fernet:
    key = hashlib.sha256(b"kefu.accounts.totp:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The secret, or None when it was sealed under another SECRET_KEY (the authenticator must be reset)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (current one ± DRIFT_STEPS), or None. Constant-time comparison."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at `now` (tests and the command line)."""
    return pyotp.TOTP(secret).at(now)


def provisioning_uri(secret: str, username: str) -> str:
    """otpauth:// URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code (drawn on the server: no script, nothing from a CDN)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
