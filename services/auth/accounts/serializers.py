"""HTTP shapes of auth's requests and answers. Field rules (email format, name length,
password strength, uniqueness) live in the User model and services, so the command line
gets the same ones."""

from rest_framework import serializers


class TextField(serializers.CharField):
    """Text given as a JSON string. DRF's CharField would turn a number into its digits, so
    a client that sent 1e308 as a name, or 12345678.5 as a password, would get an account
    with that text instead of being told it sent the wrong thing."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RegisterSerializer(serializers.Serializer):
    email = TextField(max_length=254)
    password = TextField(write_only=True, trim_whitespace=False, max_length=1024)
    name = TextField(max_length=100)


class UserSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)


class LoginSerializer(serializers.Serializer):
    email = TextField(max_length=254)
    password = TextField(write_only=True, trim_whitespace=False, max_length=1024)


class RefreshSerializer(serializers.Serializer):
    refresh = TextField(max_length=256)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField(help_text='Always "Bearer".')
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
