from pathlib import Path

from shop.cycle_a import walk


def step(depth: int) -> int:
    Path("trace.log").write_text(str(depth))
    return walk(depth - 1)


async def restart() -> int:
    return step(2)  # expect: BLK303
