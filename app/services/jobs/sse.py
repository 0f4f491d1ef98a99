"""Server-Sent Events for a job, whatever its backend: replay after ``Last-Event-ID``, then follow live.

A job view gives ``await aevents_after(n)`` (its events numbered > n), ``end_event_id`` and ``listen()`` (an async
context manager whose listener ``wait(cursor, timeout)`` returns when there may be news). In memory the listener is
an :class:`asyncio.Event` set by the runner thread; on Redis it is a blocking ``XREAD`` on the job's stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

from ...core.i18n import Lang


def format_event(seq: int, kind: str, data: dict) -> str:
    """One SSE message: ``id`` (what the browser sends back as Last-Event-ID), ``event`` (the listener name) and
    one line of JSON."""
    return f"id: {seq}\nevent: {kind}\ndata: {json.dumps(data, separators=(',', ':'), allow_nan=False)}\n\n"


async def stream_events(
    job,
    after: int,
    lang: Lang,
    keepalive_s: float = 15.0,
    closed: Callable[[], bool] = lambda: False,
) -> AsyncIterator[str]:
    """The job's events after number ``after``, then the new ones as they come, until the final ``end`` event (or
    until ``closed()`` says the server is stopping: the client will reconnect and resume).

    Quiet periods get a comment line every ``keepalive_s`` seconds (proxies close silent connections). When the
    client goes away the server cancels this generator at its next ``await``: leaving ``listen()`` unsubscribes it.
    The ``end`` event carries the job's whole status, made now, in the stream's language."""
    async with job.listen() as listener:
        yield "retry: 2000\n\n"  # reconnect after 2 s (EventSource's default is 3 s)
        cursor = after
        while True:
            listener.clear()  # before reading: an event appended after this line sets it again
            for seq, kind, data in await job.aevents_after(cursor):
                cursor = seq
                if kind == "end":
                    yield format_event(seq, kind, {"seq": seq, "type": "end", **(await job.astatus(lang))})
                    return
                yield format_event(seq, kind, data)
            end = job.end_event_id
            if (end is not None and cursor >= end) or closed():
                return  # a client reconnecting after the end (nothing more will come), or the server is stopping
            if not await listener.wait(cursor, keepalive_s):
                yield ": keep-alive\n\n"
