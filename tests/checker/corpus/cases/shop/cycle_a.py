"""Two modules that import each other; the blocking call sits at the far end of the cycle."""

from shop import cycle_b


def walk(depth: int) -> int:
    return cycle_b.step(depth) if depth > 0 else 0


async def start(depth: int) -> int:
    return walk(depth)  # expect: BLK303
