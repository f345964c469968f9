import json
import time
from contextlib import contextmanager


def load_config(path: str) -> dict[str, object]:
    with open(path) as handle:
        return json.load(handle)


@contextmanager
def timed(label: str):
    started = time.monotonic()
    yield
    time.sleep(0)
    print(label, time.monotonic() - started)


def lines(path: str):
    with open(path) as handle:
        yield from handle
