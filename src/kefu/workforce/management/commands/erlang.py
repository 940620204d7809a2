"""`kefu erlang`: Erlang C / A / B figures and staffing from the command line (JSON with --json)."""

import math

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump
from kefu.workforce import erlang as E


def _need(options, *names):
    for name in names:
        if options[name] is None:
            raise CommandError(f"--{name.replace('_', '-')}: required here")


def _check(options, name, *, low=0.0, strict=False, high=None, high_strict=False):
    """Refuse a flag outside its range, naming the flag."""
    value = options[name]
    if value is None:
        return
    flag = f"--{name.replace('_', '-')}"
    if not math.isfinite(value):
        raise CommandError(f"{flag}: must be a finite number")
    if value < low or (strict and value == low):
        raise CommandError(f"{flag}: must be {'greater than' if strict else 'at least'} {low:g}")
    if high is not None and (value > high or (high_strict and value == high)):
        raise CommandError(f"{flag}: must be {'less than' if high_strict else 'at most'} {high:g}")


class Command(BaseCommand):
    help = ("Erlang C (default), Erlang A (--patience) and Erlang B (--lines): figures for a staffing level, "
            "or the fewest agents for a target.")

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=float, help="calls offered per interval")
        parser.add_argument("--interval", type=float, help="interval length, seconds")
        parser.add_argument("--aht", type=float, help="average handle time, seconds")
        parser.add_argument("--agents", type=int, help="agents on the phones")
        parser.add_argument("--answer-within", type=float, default=20.0, help="service level threshold, seconds")
        parser.add_argument("--target-sl", type=float, help="target service level (0–1): print the fewest agents")
        parser.add_argument("--shrinkage", type=float, help="share of paid time off the phones (0–1)")
        parser.add_argument("--max-occupancy", type=float, help="highest acceptable occupancy (0–1)")
        parser.add_argument("--patience", type=float, help="mean patience, seconds: Erlang A with abandonment")
        parser.add_argument("--load", type=float, help="offered load in Erlangs")
        parser.add_argument("--max-p-wait", type=float, help="highest acceptable waiting probability (0–1)")
        parser.add_argument("--lines", type=int, help="trunk lines (Erlang B)")
        parser.add_argument("--max-blocking", type=float, help="highest acceptable blocking probability (0–1)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **o):
        for name in ("calls", "agents", "answer_within", "load", "lines"):
            _check(o, name)
        for name in ("interval", "aht", "patience"):
            _check(o, name, strict=True)
        _check(o, "target_sl", strict=True, high=1, high_strict=True)
        _check(o, "shrinkage", high=1, high_strict=True)
        for name in ("max_occupancy", "max_p_wait", "max_blocking"):
            _check(o, name, strict=True, high=1)
        if o["lines"] is not None:
            result = self._erlang_b(o)
        elif o["max_p_wait"] is not None and o["calls"] is None:
            result = self._p_wait_staffing(o)
        else:
            result = self._queue(o)
        if o["json"]:
            self.stdout.write(dump(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")

    def _erlang_b(self, o):
        if o["max_blocking"] is not None:
            max_load = E.erlang_b_max_load(o["lines"], o["max_blocking"])
            return {"lines": o["lines"], "max_blocking": o["max_blocking"], "max_load": round(max_load - 5e-7, 6)}
        _need(o, "load")
        return {"lines": o["lines"], "offered_load_erlangs": o["load"],
                "blocking": float(E.erlang_b(o["lines"], o["load"]))}

    def _p_wait_staffing(self, o):
        _need(o, "load")
        aht = o["aht"] or 1.0
        agents = int(E.staff_erlang_c([o["load"]], aht, E.Target(max_p_wait=o["max_p_wait"]))[0])
        figures = E.scalar(E.erlang_c(agents, o["load"], aht, o["answer_within"]))
        return {"agents": agents, "p_wait": figures["p_wait"], "occupancy": figures["occupancy"],
                "offered_load_erlangs": o["load"]}

    def _queue(self, o):
        if o["load"] is not None and o["calls"] is None:
            _need(o, "aht")
            load = o["load"]
        else:
            _need(o, "calls", "interval", "aht")
            load = float(E.offered_load(o["calls"], o["interval"], o["aht"]))
        if o["agents"] is None and o["target_sl"] is None:
            raise CommandError("--agents: give --agents or --target-sl")
        result = {}
        agents = o["agents"]
        if agents is None:
            target = E.Target(service_level=o["target_sl"], answer_within_s=o["answer_within"])
            try:
                if o["patience"] is not None:
                    agents = int(E.staff_erlang_a([load], o["aht"], o["patience"], target)[0])
                else:
                    agents = int(E.staff_erlang_c([load], o["aht"], target)[0])
            except E.Unreachable as exc:
                raise CommandError("--target-sl: this target cannot be reached") from exc
            result["agents"] = agents
        result.update(self._figures(o, agents, load))
        if o["shrinkage"] is not None or o["max_occupancy"] is not None:
            on_phones = agents
            if o["max_occupancy"] is not None and load > 0:
                on_phones = max(on_phones, math.ceil(load / o["max_occupancy"] - 1e-9))
            result["scheduled_agents"] = int(E.scheduled_agents(on_phones, o["shrinkage"] or 0.0))
        return result

    def _figures(self, o, agents, load):
        if o["patience"] is not None:
            f = E.scalar(E.erlang_a(agents, load, o["aht"], o["patience"], o["answer_within"]))
        else:
            f = E.scalar(E.erlang_c(agents, load, o["aht"], o["answer_within"]))
        out = {"p_wait": f["p_wait"], "service_level": f["service_level"], "asa_s": f["asa_s"],
               "occupancy": f["occupancy"], "offered_load_erlangs": load}
        if "p_abandon" in f:
            out["p_abandon"] = f["p_abandon"]
        return out
