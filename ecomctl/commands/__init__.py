"""One module per command group; main.py composes them."""
