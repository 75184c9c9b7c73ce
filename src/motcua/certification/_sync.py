"""pyHanko's synchronous API starts its own event loop; called from a thread whose loop is
already running (an async view, Playwright's sync API in tests) it would fail, so such calls
run in a worker thread instead."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def outside_event_loop(fn: Callable[P, T]) -> Callable[P, T]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return fn(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(fn, *args, **kwargs).result()

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper
