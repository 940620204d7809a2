"""The WeChat / WeCom callback signature and the encrypted ("safe") message mode, as the platforms document
it: SHA-1 over the sorted token, timestamp, nonce (and ciphertext); AES-256-CBC with the key from
EncodingAESKey (43 base64 chars + "="), IV = the key's first 16 bytes, PKCS#7 padding to 32 bytes, and the
plaintext laid out as 16 random bytes, a 4-byte big-endian length, the XML, and the AppID / CorpID."""

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    """The ciphertext cannot be decrypted with this account's key, or is for another account."""


def signature(*parts: str) -> str:
    """SHA-1 hex of the parts sorted and joined, as WeChat signs its callbacks."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 — the platform's algorithm


def signature_ok(expected: str, *parts: str) -> bool:
    """Compare in constant time."""
    return hmac.compare_digest(signature(*parts), expected or "")


class MessageCipher:
    """Encrypts and decrypts message bodies for one account (AppID for 公众号, CorpID for 企业微信)."""

    def __init__(self, aes_key: str, receive_id: str):
        try:
            self.key = base64.b64decode(aes_key + "=")
        except binascii.Error as exc:
            raise CryptoError("bad EncodingAESKey") from exc
        if len(self.key) != 32:
            raise CryptoError("bad EncodingAESKey")
        self.receive_id = receive_id.encode()

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def decrypt(self, encrypted: str) -> str:
        """The XML inside `encrypted`; refuses padding errors and another account's messages."""
        try:
            data = base64.b64decode(encrypted)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("not base64") from exc
        if not data or len(data) % 16:
            raise CryptoError("bad length")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK:
            raise CryptoError("bad padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise CryptoError("too short")
        (length,) = struct.unpack(">I", content[:4])
        xml, receive_id = content[4:4 + length], content[4 + length:]
        if receive_id != self.receive_id:
            raise CryptoError("message for another account")
        return xml.decode("utf-8")

    def encrypt(self, xml: str) -> str:
        """Encrypt `xml` (what a reply or a test platform does)."""
        body = xml.encode()
        plain = os.urandom(16) + struct.pack(">I", len(body)) + body + self.receive_id
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
