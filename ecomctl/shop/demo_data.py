"""The demo world `ecomctl seed` creates: who can log in, and what is for sale."""

from __future__ import annotations

DEMO_PASSWORD = "ecomlab-demo-2024"

ADMIN = {"email": "admin@ecomlab.test", "name": "Ada Admin", "password": "ecomlab-admin-2024"}

CUSTOMERS = [
    {"email": "alice@ecomlab.test", "name": "Alice Customer", "password": DEMO_PASSWORD},
    {"email": "bob@ecomlab.test", "name": "Bob Customer", "password": DEMO_PASSWORD},
]

PRODUCTS = [
    {"sku": "MUG-BLUE", "name": "Blue enamel mug", "price": "12.50", "currency": "EUR"},
    {"sku": "KETTLE-STEEL", "name": "Steel kettle", "price": "39.90", "currency": "EUR"},
    {"sku": "TEA-EARLGREY", "name": "Earl Grey tea, 250 g", "price": "8.20", "currency": "EUR"},
    {"sku": "FILTER-V60", "name": "Pour-over filter", "price": "24.00", "currency": "EUR"},
    {"sku": "BEANS-ETHIOPIA", "name": "Ethiopian coffee beans, 1 kg", "price": "31.75", "currency": "EUR"},
]
