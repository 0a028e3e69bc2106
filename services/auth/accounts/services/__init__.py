"""Writes of the auth service, by entity:

users         user_register, user_ensure
sessions      session_create (log in), session_refresh, access_token_issue
login_backoff login_backoff_check, login_failed, login_succeeded (per-email back-off)
signing_keys  signing_key_ensure_active, signing_key_rotate
"""

from accounts.services.sessions import TokenPair, access_token_issue, session_create, session_refresh
from accounts.services.signing_keys import signing_key_ensure_active, signing_key_rotate
from accounts.services.users import user_ensure, user_register

__all__ = [
    "TokenPair",
    "access_token_issue",
    "session_create",
    "session_refresh",
    "signing_key_ensure_active",
    "signing_key_rotate",
    "user_ensure",
    "user_register",
]
