"""Live training jobs: queued, run (here or in RQ workers), followed as numbered events, and their models served.

Life of a job::

    submit ─> queued ──(its turn; data loaded, model built)──> running ──> finished   (model registered)
                │                                                │    └──> failed     (diverged, worker lost...)
                └────────────── cancel ──────────────────────────┴──────> cancelled  (model registered if it
                                                                                       took at least one step)

Modules, one seam each:

* :mod:`.plan`: what a request will do (network, data split), checked against the server's limits;
* :mod:`.errors`: why a job failed, in English and French;
* :mod:`.runner`: the training loop's callbacks, the same in a web thread and in an RQ worker;
* :mod:`.state`: a job's state and event log in memory; :mod:`.sse`: any job as Server-Sent Events;
* :mod:`.local` (default: a FIFO queue and threads in the web process) and :mod:`.redis_backend`
  (``CONVSTEP_REDIS_URL``: RQ workers, state and streams in Redis), behind :class:`.manager.JobManager`;
* :mod:`.data_sources`: extra training data by key (``class:ABC234``), registered in every process.
"""

from .data_sources import ExtraData, register_builtin_sources, register_data_source
from .errors import JobError
from .local import LocalBackend
from .manager import JobManager, client_id_from_header
from .plan import Plan, make_plan, split_data, split_sizes
from .sse import format_event, stream_events
from .state import ACTIVE, TERMINAL, TrainingJob

__all__ = [
    "ACTIVE",
    "TERMINAL",
    "ExtraData",
    "JobError",
    "JobManager",
    "LocalBackend",
    "Plan",
    "TrainingJob",
    "client_id_from_header",
    "format_event",
    "make_plan",
    "register_builtin_sources",
    "register_data_source",
    "split_data",
    "split_sizes",
    "stream_events",
]
