"""The Web Push public key (applicationServerKey) the app subscribes with, from the private key
the notifier signs with, so the two can never disagree."""

from __future__ import annotations

import base64
import logging
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def public_key(private_key: str) -> str | None:
    """Base64url of the uncompressed public point; None (logged) for a key that does not parse.
    Takes what `portal vapid-keys` prints (PEM) and the raw or DER base64 forms pywebpush takes."""
    try:
        if private_key.lstrip().startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(private_key.strip().encode(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError("not an elliptic-curve key")
            public = key.public_key()
        else:
            public = Vapid.from_string(private_key).public_key
        point = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    except (ValueError, TypeError) as error:
        logger.warning("PORTAL_VAPID_PRIVATE_KEY does not parse (%s): no push key offered", error)
        return None
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
