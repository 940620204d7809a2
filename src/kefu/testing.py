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


def login_code(user) -> str:
    """A TOTP code the user's authenticator would show and the login will accept, for tests that log in
    through the pages. A user without an authenticator is given one first (confirmed, as if set up)."""
    import pyotp
    from django.utils import timezone

    from kefu.accounts import totp
    from kefu.accounts.models import TwoFactor

    now = timezone.now()
    factor = TwoFactor.objects.filter(user=user).first()
    secret = totp.unseal(factor.sealed_secret) if factor is not None else None
    if secret is None:
        secret = totp.new_secret()
        factor, _created = TwoFactor.objects.update_or_create(
            user=user, defaults={"sealed_secret": totp.seal(secret), "created_at": now, "confirmed_at": now,
                                 "last_step": 0})
    generator = pyotp.TOTP(secret)
    # A code is accepted once: a second login in the same 30 s uses the next step's code (within the drift).
    step = max(generator.timecode(now), factor.last_step + 1)
    return generator.generate_otp(step)
