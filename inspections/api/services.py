"""Writes of the API capability: making a token and noting its use. Views and the admin call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from inspections.models import ApiToken

# A token's last use is written at most this often: a notebook paging through 50 pages costs one UPDATE, not 50.
LAST_USED_EVERY = dt.timedelta(minutes=5)


def hash_key(key: str) -> str:
    """The stored form of a key: its SHA-256, hex (64 characters). Keys are 256-bit random, so no salt is needed."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(token: ApiToken) -> str:
    """Give an unsaved `token` a new random key (43 URL-safe characters), save it, and return the key: the only
    time it is known in clear (only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    token.key_hash = hash_key(key)
    token.prefix = key[:8]
    token.save()
    return key


def note_use(token: ApiToken) -> None:
    """Record that `token` was used now (at most every LAST_USED_EVERY)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
