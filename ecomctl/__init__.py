"""ecomctl: start, seed, break and watch the ecomlab stack."""

__version__ = "0.1.0"
