"""What the ecomlab services' test suites share; installed for tests, never in an image."""
