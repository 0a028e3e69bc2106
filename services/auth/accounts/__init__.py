"""Who may use ecomlab: users, their sessions (refresh tokens) and the keys that sign access tokens."""
