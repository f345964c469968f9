"""Terminal progress for `migrate bench` (rich): the current service, endpoint and
concurrency with its own bar, and the whole plan's bar with the time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class RichProgress:
    """Two bars on stderr: the whole bench (time left) and the current phase."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}", table_column=None),
            BarColumn(bar_width=30),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.total: TaskID | None = None
        self.current: TaskID | None = None

    def begin(self, total_load_s: int) -> None:
        self.progress.start()
        self.total = self.progress.add_task("bench", total=max(total_load_s, 1))
        self.current = self.progress.add_task("starting", total=1)

    def phase(self, text: str, seconds: float) -> None:
        if self.current is not None:
            self.progress.reset(self.current, total=max(seconds, 0.001), description=text)
            if seconds == 0:
                self.progress.update(self.current, completed=0)

    def advance(self, seconds: float) -> None:
        if seconds <= 0:
            return
        for task in (self.total, self.current):
            if task is not None:
                self.progress.advance(task, seconds)

    def note(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False)

    def end(self) -> None:
        self.progress.stop()
