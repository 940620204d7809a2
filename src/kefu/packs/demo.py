"""Demo content of the packs: each installed pack that brings a demo is switched on and fills its part."""

from datetime import datetime

from kefu.packs import registry, services


def load_demo(center, *, customers, now: datetime) -> dict:
    """Switch on every pack with demo content and run it; answers {"pack.what": count}."""
    done = {}
    for pack in registry.all_packs():
        if pack.demo is None:
            continue
        services.set_pack_enabled(actor=None, code=pack.code, enabled=True, now=now)
        for what, count in pack.demo(center=center, customers=customers, now=now).items():
            done[f"{pack.code}.{what}"] = count
    return done
