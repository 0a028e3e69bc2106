"""A simulated card payment provider, shaped like an external gateway's client library.

    provider
    ├── client   PaymentProvider.charge(), ChargeResult, ProviderUnavailable
    ├── tokens   Stripe-like test tokens and the answer each one gets
    └── models   the provider's own ledger of charges, and its operator-set behaviour

It keeps its ledger on its own database connection, outside the caller's transaction, so
a charge it made stays made when the caller rolls back, just as with a real gateway; the
idempotency key is what keeps a retried charge from charging twice.
"""
