"""Run one stage from a JSON request, in one process or data-parallel under torchrun.

    python -m jobs.pipeline.train.launch REQUEST.json
    torchrun --standalone --nproc_per_node=4 -m jobs.pipeline.train.launch REQUEST.json

REQUEST.json holds the `StageRequest` fields, the run config among them (`request_to_json`).
Rank 0 prints one JSON object a line on stdout: `{"event": "log", "line"}`, `{"event":
"progress", <Progress fields>}` every step and, at the end, `{"event": "result", <StageResult
fields>}`; a rank that fails with a `TrainingFailure` prints `{"event": "failure", "kind",
"reason", "fix"}` and exits with 1. While `<output_dir>/CANCEL` exists the stage stops at its
next step boundary, as a cancelled run does (the checkpoint is kept; delete the file to resume).

`run_stage_in_processes` is the other end: it starts torchrun, relays the lines to a `Hooks`,
writes CANCEL when the hooks ask to stop, and returns or raises what `run_stage` would.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections import deque
from dataclasses import asdict, fields
from pathlib import Path

from jobs.pipeline.config import RunConfig

from .outputs import CANCEL
from .types import Hooks, Progress, StageRequest, StageResult, TrainingFailure

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[3]
_REQUEST_PATHS = ("base_model_dir", "train_file", "eval_file", "output_dir", "start_adapter_dir", "replay_file")
_RESULT_PATHS = ("adapter_dir", "metrics_file", "manifest_file")
_TAIL_LINES = 15  # of the processes' other output, quoted when they die without a result


def request_to_json(request: StageRequest) -> str:
    data = {field.name: getattr(request, field.name) for field in fields(request)}
    data |= {name: str(data[name]) for name in _REQUEST_PATHS if data[name] is not None}
    return json.dumps(data | {"config": request.config.model_dump(mode="json")}, indent=2)


def request_from_json(text: str) -> StageRequest:
    data = json.loads(text)
    data |= {name: Path(data[name]) for name in _REQUEST_PATHS if data.get(name) is not None}
    return StageRequest(**data | {"config": RunConfig.model_validate(data["config"])})


def _result_to_dict(result: StageResult) -> dict:
    data = asdict(result)
    return data | {name: str(data[name]) for name in _RESULT_PATHS if data[name] is not None}


def _result_from_dict(data: dict) -> StageResult:
    data = {name: value for name, value in data.items() if name != "event"}
    return StageResult(**data | {name: Path(data[name]) for name in _RESULT_PATHS if data[name] is not None})


def _emit(**event) -> None:
    # One write() per line: ranks share the pipe, and a single write below PIPE_BUF is never
    # interleaved with another process's (print() may split the line from its newline).
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), (json.dumps(event) + "\n").encode())


class JsonLinesHooks:
    """Progress and log lines as JSON on stdout; stop while the cancel file exists."""

    def __init__(self, cancel_file: Path):
        self.cancel_file = cancel_file

    def on_progress(self, progress: Progress) -> None:
        _emit(event="progress", **progress.to_dict())

    def should_stop(self) -> bool:
        return self.cancel_file.exists()

    def log(self, line: str) -> None:
        _emit(event="log", line=line)


def _exit_when_stdin_closes() -> None:
    # Unbuffered reads: a daemon thread inside sys.stdin's buffer would abort the interpreter's exit.
    while os.read(sys.stdin.fileno(), 4096):
        pass
    os._exit(1)  # end of file: the process that started this one is gone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jobs.pipeline.train.launch", description=__doc__.splitlines()[0])
    parser.add_argument("request", type=Path, help="a StageRequest as JSON")
    parser.add_argument(
        "--exit-when-stdin-closes",
        action="store_true",
        help="exit at once when stdin closes (the worker that started this process died: another resumes the run)",
    )
    args = parser.parse_args(argv)
    if args.exit_when_stdin_closes:
        threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    request = request_from_json(args.request.read_text())
    from .loop import run_stage

    try:
        result = run_stage(request, JsonLinesHooks(Path(request.output_dir) / CANCEL))
    except TrainingFailure as failure:
        _emit(event="failure", kind=failure.kind, reason=failure.reason, fix=failure.fix)
        return 1
    if os.environ.get("RANK", "0") == "0":
        _emit(event="result", **_result_to_dict(result))
    return 0


def run_stage_in_processes(request: StageRequest, hooks: Hooks, *, processes: int) -> StageResult:
    """Train `request` data-parallel in `processes` processes started by torchrun (one per GPU),
    reporting through `hooks` as `run_stage` does in-process; a `TrainingFailure` of a process
    is raised here, any other death of the processes as a RuntimeError quoting their output."""
    cancel_file = Path(request.output_dir) / CANCEL
    cancel_file.parent.mkdir(parents=True, exist_ok=True)
    cancel_file.unlink(missing_ok=True)  # left behind by a worker that died after asking
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory(prefix="stage-request-") as tmp:
        request_file = Path(tmp) / "request.json"
        request_file.write_text(request_to_json(request))
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={processes}",
            "-m",
            __name__,
            str(request_file),
            "--exit-when-stdin-closes",
        ]
        # stdin stays open, unused, for the processes' lifetime: it closes when this process dies.
        with subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        ) as child:
            try:
                outcome, tail = _relay(child.stdout, hooks, cancel_file)
            finally:
                if child.poll() is None:
                    child.terminate()  # torchrun passes it on to its processes
                child.wait()
    if outcome is not None and outcome["event"] == "failure":
        raise TrainingFailure(outcome["kind"], outcome["reason"], outcome["fix"])
    if outcome is not None and child.returncode == 0:
        return _result_from_dict(outcome)
    raise RuntimeError(f"The {processes} training processes exited with code {child.returncode}:\n" + "\n".join(tail))


def _relay(lines, hooks: Hooks, cancel_file: Path) -> tuple[dict | None, deque]:
    """Pass the processes' progress and log lines to `hooks` until they exit; returns their
    result or failure event and the last lines of their other output (logged here)."""
    outcome, tail = None, deque(maxlen=_TAIL_LINES)
    for line in lines:
        event = _event(line)
        if event is None:
            tail.append(line.rstrip())
            logger.info("%s", line.rstrip())
        elif event["event"] == "progress":
            hooks.on_progress(Progress(**{k: v for k, v in event.items() if k != "event"}))
        elif event["event"] == "log":
            hooks.log(event["line"])
        else:
            outcome = event
        if hooks.should_stop() and not cancel_file.exists():
            cancel_file.touch()
    return outcome, tail


def _event(line: str) -> dict | None:
    if not line.startswith('{"event": '):
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


if __name__ == "__main__":
    sys.exit(main())
