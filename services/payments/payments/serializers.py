"""HTTP shapes of payments and of the provider's behaviour settings."""

from rest_framework import serializers

from chassis.fields import NumberField, WholeNumberField
from payments.models import Payment
from payments.provider.models import MAX_LATENCY_MS, ProviderCharge, ProviderSettings


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "id",
            "order_id",
            "customer_id",
            "amount",
            "currency",
            "payment_method",
            "status",
            "failure_reason",
            "provider_charge_id",
            "created_at",
        ]
        read_only_fields = fields


class ProviderChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProviderCharge
        fields = [
            "charge_id",
            "reference",
            "amount",
            "currency",
            "payment_method",
            "outcome",
            "decline_code",
            "created_at",
        ]
        read_only_fields = fields


class ProviderSettingsSerializer(serializers.ModelSerializer):
    latency_ms = WholeNumberField(
        min_value=0,
        max_value=MAX_LATENCY_MS,
        help_text="How long the provider waits before answering, in milliseconds.",
    )
    failure_rate = NumberField(
        min_value=0.0,
        max_value=1.0,
        help_text="Probability (0 to 1) that a charge fails with a transient provider error.",
    )

    class Meta:
        model = ProviderSettings
        fields = ["latency_ms", "failure_rate", "updated_at"]
        read_only_fields = ["updated_at"]
