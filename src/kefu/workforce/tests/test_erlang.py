"""Erlang B / C / A against published tables, an independent Markov-chain solution and a simulation."""

import heapq
import json
import math
import random

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from scipy.linalg import null_space

from kefu.workforce import erlang as E


# Iversen, "Teletraffic Engineering and Network Planning" (ITU-D / DTU, 2015), Erlang B table (Table 4.1
# extract, also in every trunk-sizing table): offered traffic at 1 % blocking.
@pytest.mark.parametrize(("lines", "load"), [(1, 0.0101), (5, 1.3608), (10, 4.4612), (20, 12.0306), (100, 84.0642)])
def test_erlang_b_max_load_matches_the_published_one_percent_table(lines, load):
    assert E.erlang_b_max_load(lines, 0.01) == pytest.approx(load, abs=6e-5)


def test_erlang_b_of_a_single_line_is_a_over_one_plus_a():
    # Erlang's loss formula for n = 1 (Iversen, ibid., eq. 4.10): B = A / (1 + A).
    assert float(E.erlang_b(1, 3.0)) == pytest.approx(0.75)


# Call Centre Helper, "Erlang C formula – made simple, with an easy worked example": 100 calls in 30 minutes,
# AHT 180 s → 10 Erlangs; 11 agents wait with probability 68.21 %, service level 39.0 % in 20 s; 14 agents
# are needed for 80/20, giving 88.8 %.
def test_erlang_c_reproduces_call_centre_helper_worked_example():
    f11 = E.scalar(E.erlang_c(11, 10.0, 180, 20))
    assert f11["p_wait"] == pytest.approx(0.6821, abs=1e-4)
    assert f11["service_level"] == pytest.approx(0.390, abs=1e-3)
    f14 = E.scalar(E.erlang_c(14, 10.0, 180, 20))
    assert f14["service_level"] == pytest.approx(0.888, abs=1e-3)
    assert E.staff_erlang_c([10.0], 180, E.Target(service_level=0.8, answer_within_s=20)).tolist() == [14]


def test_erlang_c_closed_form_for_one_agent_is_the_mm1_queue():
    # Kleinrock, Queueing Systems I, §3.2: M/M/1 waits with probability ρ and has mean wait ρ/(μ-λ).
    f = E.scalar(E.erlang_c(1, 0.6, 100, 0))
    assert f["p_wait"] == pytest.approx(0.6)
    assert f["asa_s"] == pytest.approx(0.6 * 100 / 0.4)


# Tijms, "A First Course in Stochastic Models" (Wiley 2003), §5.1, Table 5.1.1: the square-root staffing rule
# n ≈ a + β√a with β ≈ 0.5–2 — exact Erlang C staffing at large loads falls in that band.
@pytest.mark.parametrize("load", [1, 10, 100, 1000, 5000])
def test_erlang_c_is_stable_from_one_to_five_thousand_erlangs(load):
    n = int(E.staff_erlang_c([float(load)], 180, E.Target(max_p_wait=0.2))[0])
    beta = (n - load) / math.sqrt(load)
    assert 0.3 < beta < 2.5
    f = E.scalar(E.erlang_c(n, float(load), 180, 20))
    assert 0 < f["p_wait"] <= 0.2
    assert 0 <= f["service_level"] <= 1


def test_understaffed_erlang_c_reports_service_level_zero_and_certain_wait():
    f = E.scalar(E.erlang_c(8, 10.0, 180, 20))
    assert f["service_level"] == 0.0
    assert f["p_wait"] == 1.0
    assert f["asa_s"] is None


def _birth_death(n, load, aht, patience, top):
    """An independent check: the M/M/n+M stationary law solved numerically as a truncated Markov chain."""
    lam, mu, theta = load / aht, 1 / aht, 1 / patience
    q = np.zeros((top + 1, top + 1))
    for k in range(top + 1):
        if k < top:
            q[k, k + 1] = lam
        if k > 0:
            q[k, k - 1] = min(k, n) * mu + max(k - n, 0) * theta
        q[k, k] = -q[k].sum()
    pi = null_space(q.T)[:, 0]
    pi = pi / pi.sum()
    ks = np.arange(top + 1)
    p_wait = pi[n:].sum()
    p_ab = (theta * np.maximum(ks - n, 0) * pi).sum() / lam
    return p_wait, p_ab


@pytest.mark.parametrize(("n", "load", "patience"), [(5, 4.0, 60), (9, 10.0, 180), (20, 25.0, 300)])
def test_erlang_a_matches_the_markov_chain_solved_numerically(n, load, patience):
    f = E.scalar(E.erlang_a(n, load, 180, patience, 20))
    p_wait, p_ab = _birth_death(n, load, 180, patience, top=n + 400)
    assert f["p_wait"] == pytest.approx(p_wait, rel=1e-7)
    assert f["p_abandon"] == pytest.approx(p_ab, rel=1e-7)


def _simulate(n, load, aht, patience, within, calls, seed):
    """FCFS M/M/n+M by event simulation: share answered within `within`, share abandoned."""
    rng = random.Random(seed)
    free = [0.0] * n
    t = good = gone = 0
    for _ in range(calls):
        t += rng.expovariate(load / aht)
        start = max(t, free[0])
        if start - t > rng.expovariate(1 / patience):
            gone += 1
            continue
        good += start - t <= within
        heapq.heapreplace(free, start + rng.expovariate(1 / aht))
    return good / calls, gone / calls


def test_erlang_a_service_level_agrees_with_a_simulation():
    f = E.scalar(E.erlang_a(9, 10.0, 180, 180, 20))
    sl, ab = _simulate(9, 10.0, 180, 180, 20, calls=200_000, seed=7)
    assert f["service_level"] == pytest.approx(sl, abs=0.01)
    assert f["p_abandon"] == pytest.approx(ab, abs=0.01)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    a = E.scalar(E.erlang_a(14, 10.0, 180, 1e7, 20))
    c = E.scalar(E.erlang_c(14, 10.0, 180, 20))
    assert a["service_level"] == pytest.approx(c["service_level"], abs=1e-4)
    assert a["p_wait"] == pytest.approx(c["p_wait"], abs=1e-4)


def test_erlang_a_tries_fewer_agents_than_the_offered_load():
    # 900 calls per half hour at 180 s = 90 Erlangs; with 2 minutes' patience fewer than 90 agents reach 80/20.
    n = int(E.staff_erlang_a([90.0], 180, 120, E.Target(service_level=0.8, answer_within_s=20))[0])
    assert n < 90
    assert E.scalar(E.erlang_a(n, 90.0, 180, 120, 20))["service_level"] >= 0.8
    assert E.scalar(E.erlang_a(n - 1, 90.0, 180, 120, 20))["service_level"] < 0.8


@pytest.mark.parametrize("load", [1.0, 300.0, 5000.0])
def test_erlang_a_probabilities_stay_within_zero_and_one_even_far_understaffed(load):
    for n in (0, 1, int(load * 0.5), int(load * 2)):
        f = E.scalar(E.erlang_a(n, load, 180, 120, 20))
        for key in ("p_wait", "p_abandon", "service_level", "occupancy"):
            assert 0.0 <= f[key] <= 1.0, (n, key, f[key])


def test_vectorised_staffing_matches_element_by_element():
    loads = [0.0, 0.4, 7.5, 42.0, 300.0]
    target = E.Target(service_level=0.8, answer_within_s=20, max_abandon=0.05)
    together = E.staff_erlang_a(loads, 240, 90, target).tolist()
    assert together == [int(E.staff_erlang_a([x], 240, 90, target)[0]) for x in loads]
    assert together[0] == 0


def _cli(*args):
    from io import StringIO

    out = StringIO()
    call_command("erlang", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_cli_prints_the_figures_for_a_staffing_level():
    got = _cli("--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "14", "--answer-within", "20")
    assert set(got) == {"p_wait", "service_level", "asa_s", "occupancy", "offered_load_erlangs"}
    assert got["offered_load_erlangs"] == 10.0
    assert got["service_level"] == pytest.approx(0.888, abs=1e-3)


def test_cli_target_with_shrinkage_and_occupancy_cap_gives_scheduled_agents():
    got = _cli("--calls", "100", "--interval", "1800", "--aht", "180", "--target-sl", "0.8",
               "--shrinkage", "0.3", "--max-occupancy", "0.65")
    assert got["agents"] == 14
    assert got["scheduled_agents"] == math.ceil(math.ceil(10 / 0.65) / 0.7)


def test_cli_patience_switches_to_erlang_a_with_abandonment():
    got = _cli("--calls", "900", "--interval", "1800", "--aht", "180", "--target-sl", "0.8", "--patience", "120")
    assert got["agents"] < 90 and "p_abandon" in got
    assert got["service_level"] >= 0.8


def test_cli_load_and_max_p_wait_and_erlang_b_lines():
    assert _cli("--load", "10", "--max-p-wait", "0.2")["agents"] == 14
    assert _cli("--lines", "10", "--max-blocking", "0.01")["max_load"] == pytest.approx(4.4612, abs=1e-4)


@pytest.mark.parametrize(("args", "flag"), [
    (["--calls", "-5", "--interval", "1800", "--aht", "180", "--agents", "3"], "--calls"),
    (["--calls", "5", "--interval", "1800", "--aht", "0", "--agents", "3"], "--aht"),
    (["--calls", "5", "--interval", "1800", "--aht", "180", "--target-sl", "1"], "--target-sl"),
    (["--calls", "5", "--interval", "1800", "--aht", "180", "--agents", "3", "--patience", "0"], "--patience"),
    (["--lines", "10", "--max-blocking", "1.5"], "--max-blocking"),
])
def test_cli_refuses_bad_input_naming_the_flag(args, flag):
    with pytest.raises(CommandError, match=flag):
        call_command("erlang", *args, "--json")
