"""A rich progress bar that follows training, family by family and trial by trial."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from housing_price.models.family import ModelFamily
    from housing_price.training.trainer import CandidateResult
    from housing_price.training.tuning import Trial


class TrainingProgress:
    """Implements the trainer's observer protocol with one bar per family."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[best]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TrainingProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def family_started(self, family: ModelFamily, total_trials: int) -> None:
        self._tasks[family.name] = self._progress.add_task(
            family.title, total=total_trials, best=""
        )

    def trial_finished(
        self, family: ModelFamily, trial: Trial, best_loss: float
    ) -> None:
        self._progress.update(
            self._tasks[family.name], advance=1, best=f"best CV RMSE ${best_loss:,.0f}"
        )

    def family_finished(self, result: CandidateResult) -> None:
        task = self._tasks[result.family]
        self._progress.update(
            task,
            completed=self._progress.tasks[task].total,
            best=f"CV RMSE ${result.cv_scores.mean('rmse'):,.0f}",
        )
