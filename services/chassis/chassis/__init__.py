"""The ecomlab microservice chassis: infrastructure every service installs, no domain code.

chassis
├── settings      environment-driven settings helpers
├── tokens        RS256 access-token verification against auth's cached JWKS
├── authentication  bearer-token authentication and role permissions for DRF
├── errors        one JSON error shape, for DRF and for Django
├── correlation   request/correlation ids carried through requests, logs and events
├── logging       one JSON object per log line
├── health        liveness and readiness views
├── http          outbound HTTP with timeouts, retries and a circuit breaker
└── messaging     outbox, relay, inbox, consumer runner, event envelope, metrics
"""
