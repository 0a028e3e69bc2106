"""How commands draw what the rest of ecomctl returns; one module per command group."""
