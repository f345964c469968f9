"""A plain asyncio script in a folder that is not a package."""

import asyncio
import time

import helpers
from helpers import lines, load_config


async def poll(queue: asyncio.Queue[int]) -> None:
    config = load_config("worker.json")  # expect: BLK301
    while True:
        item = await queue.get()
        with helpers.timed("item"):  # expect: BLK401
            time.sleep(config.get("delay", 1))  # expect: BLK401
        queue.task_done()
        del item


async def count_lines(path: str) -> int:
    total = 0
    for _line in lines(path):  # expect: BLK301
        total += 1
    return total


async def lazy_lines(path: str) -> object:
    return lines(path)


async def main() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    worker = asyncio.create_task(poll(queue))
    await queue.join()
    worker.cancel()


if __name__ == "__main__":
    main()  # expect: BLK902
