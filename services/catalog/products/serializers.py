"""HTTP shapes of products; validation of what admins may write."""

from rest_framework import serializers

from products.models import Product
from products.selectors import MAX_PRICE_LOOKUP


class ProductSerializer(serializers.ModelSerializer):
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    currency = serializers.RegexField(r"^[A-Z]{3}$", error_messages={"invalid": "Use a 3-letter ISO code like EUR."})

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "description", "price", "currency", "active", "created_at", "updated_at"]
        read_only_fields = ["id", "active", "created_at", "updated_at"]


class PriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "sku", "name", "price", "currency"]


class PriceQuerySerializer(serializers.Serializer):
    ids = serializers.CharField()

    def validate_ids(self, value: str) -> list[int]:
        try:
            ids = [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise serializers.ValidationError("Give product ids as comma-separated integers.") from None
        if not ids:
            raise serializers.ValidationError("Give at least one product id.")
        if len(ids) > MAX_PRICE_LOOKUP:
            raise serializers.ValidationError(f"Give at most {MAX_PRICE_LOOKUP} product ids.")
        if any(product_id <= 0 for product_id in ids):
            raise serializers.ValidationError("Product ids are positive integers.")
        return list(dict.fromkeys(ids))
