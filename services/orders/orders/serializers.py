"""HTTP shapes of orders: what a client may send to place one, and what it reads back."""

from rest_framework import serializers

from chassis.fields import StringRegexField, WholeNumberField
from orders.models import Order, OrderItem, OrderStatusChange

MAX_ITEMS = 50
MAX_QUANTITY = 1000
# The largest id the catalog's price lookup takes (18 digits, well inside its bigint ids).
# A larger one would get the lookup itself refused, which orders can only take for the
# catalog failing: a 503 to the client, and a failure counted by the catalog breaker.
MAX_PRODUCT_ID = 10**18 - 1


class RequestedItemSerializer(serializers.Serializer):
    product_id = WholeNumberField(min_value=1, max_value=MAX_PRODUCT_ID)
    quantity = WholeNumberField(min_value=1, max_value=MAX_QUANTITY)


class OrderCreateSerializer(serializers.Serializer):
    """Only items and payment_method are read; anything else a client sends (status,
    prices, totals, customer) is ignored: those come from the catalog and the token."""

    items = RequestedItemSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS)
    payment_method = StringRegexField(
        r"^[A-Za-z0-9_]+$",
        max_length=64,
        error_messages={"invalid": "Use only letters, digits and underscores, like tok_visa."},
    )

    def validate_items(self, items: list[dict]) -> list[dict]:
        first_line_of: dict[int, int] = {}
        duplicates = {}
        for index, item in enumerate(items):
            if item["product_id"] in first_line_of:
                duplicates[index] = {
                    "product_id": [
                        f"This product is already on line {first_line_of[item['product_id']]}; "
                        "give its whole quantity there."
                    ]
                }
            first_line_of.setdefault(item["product_id"], index)
        if duplicates:
            # Keyed by line index, the shape DRF gives errors of list items.
            raise serializers.ValidationError(duplicates)
        return items


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["product_id", "name", "quantity", "unit_price", "line_total"]


class OrderStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderStatusChange
        fields = ["status", "changed_at", "reason"]


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    status_history = OrderStatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "customer_id",
            "status",
            "items",
            "total",
            "currency",
            "payment_method",
            "created_at",
            "updated_at",
            "status_history",
        ]
        read_only_fields = fields
