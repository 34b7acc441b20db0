"""Running a run's training on a worker: filled in by the training engine (issue 5)."""


def run_train(*, run_id: int) -> None:
    raise NotImplementedError("The training engine is not wired in yet.")
