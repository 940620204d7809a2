"""Test helpers: the small named world (kefu.demo.world) and running work in real concurrent transactions."""

from kefu.demo.world import World, build_world, ensure_reference_data

__all__ = ["World", "at_once", "build_world", "ensure_reference_data"]


def at_once(work, args: list, *, timeout: float = 60) -> list:
    """Run `work(arg)` for every arg in its own thread, all released together, as real concurrent transactions.

    Returns the results in the order of `args`. A thread's exception is re-raised here (it would otherwise
    vanish with the thread), and every thread closes its database connection, as a worker process would."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(args))
    results: list = [None] * len(args)
    errors: list = []

    def run(index, arg):
        try:
            barrier.wait(timeout=timeout)
            results[index] = work(arg)
        except Exception as exc:  # noqa: BLE001 — surfaced below, whatever it is
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, arg)) for i, arg in enumerate(args)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    return results
