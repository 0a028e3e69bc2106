"""A tiny app whose handlers record what they were given, so tests can count side effects."""
