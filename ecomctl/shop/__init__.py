"""The shop as a client sees it, through the gateway's public API: the client itself, the
demo world `ecomctl seed` creates, logging in as its people, and placing orders."""
