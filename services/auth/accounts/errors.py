"""Why a login or a token refresh was refused, in words fit for the client; views map
these to 401 (429 for LoginLocked). Invalid fields are Django ValidationErrors keyed by field name."""


class InvalidCredentials(Exception):
    """Wrong email, wrong password or a disabled account: one answer, so nobody learns which."""


class InvalidRefreshToken(Exception):
    """The refresh token is unknown, expired, already used or revoked."""


class LoginLocked(Exception):
    """Too many failed logins for this email: every attempt waits retry_after seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins for this email; retry in {retry_after} s.")
        self.retry_after = retry_after
