"""drf-spectacular hooks: the published schema is our API only (not Wagtail's admin API)."""

from typing import Any

PREFIX = "/api/v1/"


def only_our_api(endpoints: list[tuple[str, Any, str, Any]], **kwargs: Any) -> list[Any]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]
