"""Progress of a long extraction run on stderr, and the closing summary.

The bar shows documents done, quotes found, failures and the rate; it is drawn only when stderr
is a terminal (and not with --quiet), so logs and pipes get the summary line alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

# Failed inputs named one by one in the summary; the rest are counted.
MAX_LISTED_FAILURES = 20


@dataclass
class RunCounts:
    documents: int = 0
    quotes: int = 0
    failed: list[str] = field(default_factory=list)  # what failed: a file name, a document id
    started: float = field(default_factory=time.perf_counter)

    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.documents / elapsed if elapsed > 0 else 0.0

    def summary(self, stored: str | None = None, interrupted: bool = False) -> str:
        elapsed = time.perf_counter() - self.started
        line = (
            f"{self.documents} documents, {self.quotes} quotes, {len(self.failed)} failed"
            f" in {elapsed:.1f} s ({self.rate():.1f} documents/s)"
        )
        if stored:
            line += f"; {stored}"
        if interrupted:
            line = "Interrupted after " + line
        return line

    def failure_line(self) -> str:
        """The failed inputs on one line (each was reported with its cause as it happened)."""
        listed = ", ".join(self.failed[:MAX_LISTED_FAILURES])
        more = len(self.failed) - MAX_LISTED_FAILURES
        return f"Failed: {listed}" + (f" and {more} more" if more > 0 else "")


class RunProgress:
    """A live status line for a run; a no-op unless `enabled` and the console is a terminal."""

    def __init__(self, console: Console, counts: RunCounts, *, enabled: bool = True):
        self.counts = counts
        self.active = enabled and console.is_terminal and not console.is_dumb_terminal
        self._progress: Progress | None = None
        self._task = None
        if self.active:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                refresh_per_second=4,
                # stdout carries the quotes: never route it through the stderr display
                redirect_stdout=False,
            )
            self._task = self._progress.add_task("extract", total=None, status=self._status())

    def __enter__(self) -> RunProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, status=self._status())

    def _status(self) -> str:
        c = self.counts
        failed = f", [red]{len(c.failed)} failed[/red]" if c.failed else ""
        return f"{c.documents} documents, {c.quotes} quotes{failed} · {c.rate():.1f} documents/s"
