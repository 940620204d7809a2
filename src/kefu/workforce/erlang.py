"""Queueing formulas for staffing: Erlang B (lost calls), Erlang C (M/M/n) and Erlang A (M/M/n+M, Palm).

Plain numpy, no Django. Every function takes arrays (one element per interval or queue) so that a whole
week of intervals for many queues is computed in a handful of vector operations; the scalar helpers wrap
them. Nothing uses factorials: Erlang B is the stable recursion B(k) = aB(k-1) / (k + aB(k-1)), and the
Erlang A state probabilities are summed in log space, so loads of many thousand Erlangs neither overflow
nor lose precision.

Erlang A (Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn, "The Palm/Erlang-A queue"): with
x = nμ/θ and y = λ/θ the queue's state probabilities relative to π_n are r_j = Π_{k≤j} y / (x + k). A
customer who finds j others waiting is served with probability x / (x + j + 1) and, if served, waits a sum
of exponentials with rates θ(x + k), k = 1…j+1, whose distribution is the regularised incomplete beta
I_{1-e^{-θt}}(j + 1, x + 1); that gives the service level exactly (answered within t ÷ all arrivals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

# Far more agents than any single queue interval needs; beyond it a target counts as unreachable.
MAX_AGENTS = 200_000


class Unreachable(ValueError):
    """A staffing target that no number of agents can meet (e.g. a service level of 100 %)."""


@dataclass(frozen=True)
class Target:
    """What a staffing level must achieve; None means no such requirement."""

    service_level: float | None = None  # fraction answered within answer_within_s
    answer_within_s: float = 20.0
    asa_s: float | None = None  # average speed of answer of the answered calls, seconds
    max_p_wait: float | None = None
    max_abandon: float | None = None  # Erlang A only
    max_occupancy: float | None = None


def offered_load(calls, interval_s, aht_s):
    """Erlangs offered: calls per interval × average handle time ÷ interval length."""
    return np.asarray(calls, dtype=float) * np.asarray(aht_s, dtype=float) / np.asarray(interval_s, dtype=float)


# ---------------------------------------------------------------------------------------------- Erlang B
def erlang_b(lines, load):
    """Blocking probability of `lines` servers offered `load` Erlangs (vectorised, stable recursion)."""
    lines = np.asarray(lines, dtype=np.int64)
    load = np.asarray(load, dtype=float)
    lines, load = np.broadcast_arrays(lines, load)
    b = np.ones(lines.shape, dtype=float)
    top = int(lines.max()) if lines.size else 0
    for k in range(1, top + 1):
        ab = load * b
        b = np.where(k <= lines, ab / (k + ab), b)
    return b


def erlang_b_max_load(lines: int, max_blocking: float) -> float:
    """The largest load (Erlangs) that `lines` servers carry with blocking ≤ max_blocking (bisection)."""
    lo, hi = 0.0, max(1.0, lines * 2.0)
    while float(erlang_b(lines, hi)) <= max_blocking:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        if float(erlang_b(lines, mid)) <= max_blocking:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10 * max(1.0, hi):
            break
    return lo


# ---------------------------------------------------------------------------------------------- Erlang C
def _erlang_c_from_b(n, load, b):
    """P(wait) of M/M/n from the Erlang B value; 1 when the load reaches the agents."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - load * (1 - b))
    return np.where(n > load, np.clip(c, 0.0, 1.0), 1.0)


def _c_measures(n, load, aht, within, b):
    """The Erlang C figures for arrays of agents n with their Erlang B values b."""
    c = _erlang_c_from_b(n, load, b)
    staffed = n > load
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = np.where(staffed, n - load, 1.0)
        sl = np.where(staffed, 1 - c * np.exp(-gap * within / aht), 0.0)
        asa = np.where(staffed, c * aht / gap, np.inf)
        occ = np.where(n > 0, np.minimum(load / np.maximum(n, 1), 1.0), 1.0)
    occ = np.where(load <= 0, 0.0, occ)
    return {"p_wait": c, "service_level": np.clip(sl, 0.0, 1.0), "asa_s": asa, "occupancy": occ}


def erlang_c(agents, load, aht_s, answer_within_s=20.0):
    """Erlang C figures (p_wait, service_level, asa_s, occupancy) for given agents; understaffed → SL 0, P 1."""
    n = np.asarray(agents, dtype=float)
    load = np.asarray(load, dtype=float)
    n, load, aht, within = np.broadcast_arrays(n, load, np.asarray(aht_s, float), np.asarray(answer_within_s, float))
    b = erlang_b(n.astype(np.int64), load)
    return _c_measures(n, load, aht, within, b)


def _meets(m, n, load, target: Target):
    """Which elements' figures m satisfy every requirement of the target."""
    ok = np.ones(np.shape(n), dtype=bool)
    if target.service_level is not None:
        ok &= m["service_level"] >= target.service_level - 1e-12
    if target.asa_s is not None:
        ok &= m["asa_s"] <= target.asa_s
    if target.max_p_wait is not None:
        ok &= m["p_wait"] <= target.max_p_wait + 1e-12
    if target.max_abandon is not None and "p_abandon" in m:
        ok &= m["p_abandon"] <= target.max_abandon + 1e-12
    if target.max_occupancy is not None:
        ok &= m["occupancy"] <= target.max_occupancy + 1e-12
    return ok


def check_target(target: Target) -> None:
    """Refuse targets that no staffing can meet, naming the offending attribute."""
    if target.service_level is not None and not 0 < target.service_level < 1:
        raise Unreachable("service_level")
    if target.answer_within_s < 0:
        raise Unreachable("answer_within_s")
    if target.asa_s is not None and target.asa_s <= 0:
        raise Unreachable("asa_s")
    if target.max_p_wait is not None and not 0 < target.max_p_wait <= 1:
        raise Unreachable("max_p_wait")
    if target.max_abandon is not None and not 0 < target.max_abandon <= 1:
        raise Unreachable("max_abandon")
    if target.max_occupancy is not None and not 0 < target.max_occupancy <= 1:
        raise Unreachable("max_occupancy")


def staff_erlang_c(load, aht_s, target: Target):
    """The fewest agents per element meeting the target by Erlang C (vectorised sweep over n)."""
    check_target(target)
    load = np.atleast_1d(np.asarray(load, dtype=float))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), load.shape)
    within = np.full(load.shape, float(target.answer_within_s))
    need = np.where(load <= 0, 0, -1).astype(np.int64)
    b = np.ones(load.shape)
    k = 0
    while (need < 0).any():
        k += 1
        if k > MAX_AGENTS:
            raise Unreachable("agents")
        ab = load * b
        b = ab / (k + ab)
        open_ = (need < 0) & (k > load)
        if not open_.any():
            continue
        idx = np.nonzero(open_)[0]
        n = np.full(idx.shape, float(k))
        m = _c_measures(n, load[idx], aht[idx], within[idx], b[idx])
        done = _meets(m, n, load[idx], target)
        need[idx[done]] = k
    return need


# ---------------------------------------------------------------------------------------------- Erlang A
def _terms(x, y):
    """How many queue states j to sum so the neglected tail is below double precision.

    The ratios r_j peak near j = y - x and then fall faster than a normal density of spread √y, so eight
    spreads past the peak leave less than e^-32 behind.
    """
    peak = np.maximum(y - x, 0.0)
    return int(np.max(peak + 8 * np.sqrt(y + 1) + 16))


def _a_chunked(n, load, aht, pat, within, b, asa: bool, chunk: int = 256):
    """Erlang A figures computed in chunks of similar queue length, so small loads do not pay for large ones."""
    y = load * pat / aht
    order = np.argsort(y, kind="stable")
    parts = [_a_measures(n[i], load[i], aht[i], pat[i], within[i], b[i], asa)
             for i in np.array_split(order, max(1, -(-len(order) // chunk)))]
    out = {}
    for key in parts[0]:
        values = np.empty(len(order))
        values[order] = np.concatenate([p[key] for p in parts])
        out[key] = values
    return out


def erlang_a(agents, load, aht_s, patience_s, answer_within_s=20.0):
    """Erlang A figures (p_wait, p_abandon, service_level, asa_s, occupancy) for given agents."""
    n, load, aht, pat, within = (np.atleast_1d(np.asarray(v, dtype=float)) for v in
                                 np.broadcast_arrays(agents, load, aht_s, patience_s, answer_within_s))
    b = erlang_b(n.astype(np.int64), load)
    return _a_measures(n, load, aht, pat, within, b)


def _a_measures(n, load, aht, pat, within, b, asa: bool = True):
    """Erlang A figures for arrays of agents with their Erlang B values (see the module docstring)."""
    x = n * pat / aht  # nμ/θ
    y = load * pat / aht  # λ/θ
    terms = _terms(x, y)
    rows = len(n)
    k = np.arange(1, terms + 2, dtype=float)
    xk = x[:, None] + k[None, :]  # x + k for k = 1 … terms + 1
    with np.errstate(divide="ignore"):
        log_xk = np.log(xk)
        steps = np.log(y)[:, None] - log_xk[:, :terms]
    logr = np.empty((rows, terms))
    logr[:, 0] = 0.0
    np.cumsum(steps[:, :-1], axis=1, out=logr[:, 1:])  # log r_j, j = 0 … terms - 1
    top = logr.max(axis=1)
    logr -= top[:, None]
    w = np.exp(logr, out=logr)  # r_j / max r, in place
    log_a = top + np.log(w.sum(axis=1))  # log Σ r_j
    with np.errstate(divide="ignore"):
        log_inv_pi = np.logaddexp(np.log(np.maximum(1 / b - 1, 0.0)), log_a)  # 1/π_n = 1/E - 1 + A
    pi = w
    pi *= np.exp(top - log_inv_pi)[:, None]  # π_{n+j}
    p_wait = np.minimum(pi.sum(axis=1), 1.0)
    inv = 1 / xk[:, :terms]
    served_given_j = inv * x[:, None]  # x / (x + j + 1)
    pi *= served_given_j  # π_{n+j} · P(served | j)
    p_abandon = np.clip(p_wait - pi.sum(axis=1), 0.0, 1.0)
    # Answered within t: I_z(j+1, x+1), z = 1 - e^{-θt}, by I(a+1) = I(a) - t_a with t_a from a log recursion:
    # t_{a+1} = t_a · z (a + x + 1) / (a + 1).
    theta_t = within / pat
    bb = x + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        log_z = np.log(-np.expm1(-theta_t))
        log_t = np.empty((rows, terms))
        log_t[:, 0] = log_z - bb * theta_t + np.log(bb)
        inc = log_xk[:, 1:terms] - np.log(k[1:terms])[None, :]
        inc += log_z[:, None]
        np.cumsum(inc, axis=1, out=log_t[:, 1:])
        log_t[:, 1:] += log_t[:, :1]
    tails = np.empty((rows, terms))
    tails[:, 0] = 0.0
    np.cumsum(np.exp(log_t[:, :-1], out=log_t[:, :-1]), axis=1, out=tails[:, 1:])
    i1 = -np.expm1(-theta_t * bb)
    beta = np.subtract(i1[:, None], tails, out=tails)
    np.clip(beta, 0.0, 1.0, out=beta)  # 0 when t = 0 (i1 = 0, tails = 0)
    sl = np.clip(1 - p_wait + np.einsum("ij,ij->i", pi, beta), 0.0, 1.0)
    sl = np.where(n > 0, sl, 0.0)
    served = 1 - p_abandon
    with np.errstate(divide="ignore", invalid="ignore"):
        if asa:  # a served customer behind j waits Σ_{k≤j+1} 1 / (θ(x + k)) on average
            mean_wait = np.cumsum(inv, axis=1) * pat[:, None]
            asa_s = np.where(served > 0, np.einsum("ij,ij->i", pi, mean_wait) / served, np.inf)
            asa_s = np.where(n > 0, asa_s, np.inf)
        occ = np.where(n > 0, np.minimum(load * served / np.maximum(n, 1), 1.0), 1.0)
    occ = np.where(load <= 0, 0.0, occ)
    out = {"p_wait": p_wait, "p_abandon": p_abandon, "service_level": sl, "occupancy": occ}
    if asa:
        out["asa_s"] = asa_s
    return out


def staff_erlang_a(load, aht_s, patience_s, target: Target):
    """The fewest agents per element meeting the target by Erlang A; may be fewer than the load."""
    check_target(target)
    load = np.atleast_1d(np.asarray(load, dtype=float))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), load.shape).copy()
    pat = np.broadcast_to(np.asarray(patience_s, dtype=float), load.shape).copy()
    within = np.full(load.shape, float(target.answer_within_s))

    def ok(n, idx):
        if not len(idx):
            return np.zeros(0, dtype=bool)
        b = table[idx, n] if table is not None and n.max() < table.shape[1] else erlang_b(n, load[idx])
        m = _a_chunked(n.astype(float), load[idx], aht[idx], pat[idx], within[idx], b, target.asa_s is not None)
        return _meets(m, n, load[idx], target)

    live = np.nonzero(load > 0)[0]
    need = np.zeros(load.shape, dtype=np.int64)
    # Erlang C's answer is the usual upper end; abandonment only shortens waits.
    hi = np.maximum(staff_erlang_c(load[live], aht[live], replace(target, max_abandon=None)), 1)
    table = _erlang_b_table(load, int(hi.max()) if len(hi) else 0)
    good = ok(hi, live)
    while not good.all():  # widen the bracket where even the upper guess fails
        if hi.max() > MAX_AGENTS:
            raise Unreachable("agents")
        hi = np.where(good, hi, hi * 2)
        good = ok(hi, live)
    lo = np.maximum(_failing_floor(load[live], target), 0)
    lo = np.minimum(lo, hi - 1)
    while (hi - lo > 1).any():
        mid = (lo + hi) // 2
        active = hi - lo > 1
        res = np.zeros(len(live), dtype=bool)
        res[active] = ok(mid[active], live[active])
        hi = np.where(active & res, mid, hi)
        lo = np.where(active & ~res, mid, lo)
    need[live] = hi
    return need


def _erlang_b_table(load, top: int) -> np.ndarray | None:
    """Erlang B of every load for 0 … top lines in one pass of the recursion (None when too large to keep)."""
    if top <= 0 or load.size * (top + 1) > 5_000_000:
        return None
    table = np.empty((load.size, top + 1))
    b = np.ones(load.size)
    table[:, 0] = b
    for k in range(1, top + 1):
        ab = load * b
        b = ab / (k + ab)
        table[:, k] = b
    return table


def _failing_floor(load, target: Target):
    """Agents that surely miss the target: n agents serve at most n/load of the calls, so both the service
    level and 1 - P(abandon) are at most n/load (0 agents never meet a positive-load target)."""
    share = max(target.service_level or 0.0, 1 - (target.max_abandon if target.max_abandon is not None else 1.0))
    return np.maximum(np.ceil(share * load - 1e-9) - 1, 0).astype(np.int64)


# ---------------------------------------------------------------------------------------------- head count
def scheduled_agents(agents, shrinkage: float):
    """Head count to schedule so that `agents` are on the phones after shrinkage (breaks, training…)."""
    if not 0 <= shrinkage < 1:
        raise Unreachable("shrinkage")
    return np.ceil(np.asarray(agents, dtype=float) / (1 - shrinkage) - 1e-9).astype(np.int64)


def scalar(figures: dict) -> dict:
    """Plain floats from one-element arrays; infinite waits become None (no JSON infinity)."""
    out = {}
    for key, value in figures.items():
        v = float(np.asarray(value).reshape(-1)[0])
        out[key] = None if math.isinf(v) or math.isnan(v) else v
    return out
