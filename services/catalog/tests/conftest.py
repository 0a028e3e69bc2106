import pytest

from products import services


@pytest.fixture
def make_product(db):
    counter = iter(range(1, 10_000))

    def make(**overrides):
        number = next(counter)
        fields = {"sku": f"SKU-{number}", "name": f"Product {number}", "price": "9.99", "currency": "EUR"}
        fields.update(overrides)
        return services.product_create(**fields)

    return make
