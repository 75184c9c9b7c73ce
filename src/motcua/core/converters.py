"""URL converters. ``<id:pk>`` is a database id: 1 to 18 digits, so that an address such as
/ho-so/9223372036854775809/ is a 404, not a database overflow (a 500 on PostgreSQL). Django's
own ``int`` is left as it is."""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not an id")  # the resolver then tries the next pattern: 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
