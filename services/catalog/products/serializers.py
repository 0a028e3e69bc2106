"""HTTP shapes of products; validation of what admins may write."""

import re

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.models import Product
from products.selectors import MAX_PRICE_LOOKUP

PRICE_PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": PRICE_PATTERN, "example": "12.50"})
class PriceField(serializers.DecimalField):
    """Money as a decimal string ("12.50"): a JSON number would pass through binary floating
    point on the client's side, so it is refused rather than rounded."""

    default_error_messages = {"not_a_string": 'Give the price as a decimal string, like "12.50".'}

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, decimal_places=2, min_value=0, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(PRICE_PATTERN, data):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """Text given as a JSON string. DRF's CharField would turn a number into its digits, so
    a product sent with 1e308 as its SKU or name would be stored as the text "1e+308"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ProductSerializer(serializers.ModelSerializer):
    # The model's text columns (sku, name, description) take JSON strings only.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }
    price = PriceField()
    currency = serializers.RegexField(r"^[A-Z]{3}$", error_messages={"invalid": "Use a 3-letter ISO code like EUR."})

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "description", "price", "currency", "active", "created_at", "updated_at"]
        read_only_fields = ["id", "active", "created_at", "updated_at"]


class PriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "sku", "name", "price", "currency"]


class PriceListSerializer(serializers.Serializer):
    products = PriceSerializer(many=True)
    missing = serializers.ListField(child=serializers.IntegerField(), help_text="Asked-for ids of no active product.")


PRODUCT_ID = "[1-9][0-9]{0,17}"  # a positive integer a bigint column can hold


class ProductQuerySerializer(serializers.Serializer):
    include_inactive = serializers.BooleanField(
        required=False, default=False, help_text="Admins only: deactivated (deleted) products too."
    )


class ProductListQuerySerializer(ProductQuerySerializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Products whose name contains this text (its first 100 characters), in any case.",
    )

    def validate_search(self, value: str) -> str:
        return value[:100]


class PriceQuerySerializer(serializers.Serializer):
    ids = serializers.RegexField(
        rf"^{PRODUCT_ID}(,{PRODUCT_ID}){{0,{MAX_PRICE_LOOKUP - 1}}}$",
        trim_whitespace=False,
        help_text=f"Comma-separated product ids, at most {MAX_PRICE_LOOKUP}, like 1,2,3.",
        error_messages={"invalid": f"Give 1 to {MAX_PRICE_LOOKUP} positive product ids, comma-separated, like 1,2,3."},
    )

    def validate_ids(self, value: str) -> list[int]:
        return list(dict.fromkeys(int(part) for part in value.split(",")))
