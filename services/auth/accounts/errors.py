"""Why a login or a token refresh was refused, in words fit for the client; views map
these to 401. Invalid fields are Django ValidationErrors keyed by field name."""


class InvalidCredentials(Exception):
    """Wrong email, wrong password or a disabled account: one answer, so nobody learns which."""


class InvalidRefreshToken(Exception):
    """The refresh token is unknown, expired, already used or revoked."""
