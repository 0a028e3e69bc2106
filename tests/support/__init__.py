"""Helpers shared by the gateway, CLI and end-to-end tests."""
