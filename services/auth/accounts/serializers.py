"""HTTP shapes of auth's requests and answers. Field rules (email format, name length,
password strength, uniqueness) live in the User model and services, so the command line
gets the same ones."""

from rest_framework import serializers


class RegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=1024)
    name = serializers.CharField(max_length=100)


class UserSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=1024)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=256)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField(help_text="Always \"Bearer\".")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
