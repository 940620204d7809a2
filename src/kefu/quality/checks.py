"""Automatic checks on a contact's transcript (QA2): service words, forbidden words, timing.

All word lists are matched at once with one Aho-Corasick automaton (pyahocorasick) over the agent's lines:
greeting words in the agent's first line, closing words in the last, the polite words (十字服务用语) anywhere,
forbidden phrases, rude words and arguing markers anywhere. Timing: the first reply after the customer's first
line, talk time over the limit, hold over the limit, silences longer than the limit between two lines.
"""

from dataclasses import dataclass

import ahocorasick
from django.utils.translation import gettext_lazy as _

from kefu.quality.contacts import AGENT, CUSTOMER, ContactData

KINDS = ("greeting", "closing", "polite", "forbidden", "rude", "arguing")

# The failures a contact can have; a contact with any of them is sampled when its plan asks for failures.
NO_GREETING = "no_greeting"
NO_CLOSING = "no_closing"
FORBIDDEN = "forbidden"
RUDE = "rude"
ARGUING = "arguing"
SLOW_FIRST_REPLY = "slow_first_reply"
LONG_TALK = "long_talk"
LONG_HOLD = "long_hold"
LONG_SILENCE = "long_silence"
FAILURES = {
    NO_GREETING: _("No greeting"),
    NO_CLOSING: _("No closing words"),
    FORBIDDEN: _("Forbidden phrase"),
    RUDE: _("Rude word"),
    ARGUING: _("Arguing"),
    SLOW_FIRST_REPLY: _("Slow first reply"),
    LONG_TALK: _("Talk over the limit"),
    LONG_HOLD: _("Hold over the limit"),
    LONG_SILENCE: _("Long silence"),
}


@dataclass(frozen=True)
class Limits:
    first_reply: int = 60
    talk: int = 300
    hold: int = 60
    silence: int = 30


class Checker:
    """The compiled word lists and limits; build once per rules version, then check many transcripts."""

    def __init__(self, words: dict[str, list[str]], limits: Limits):
        self.limits = limits
        self.polite = [w for w in words.get("polite", []) if w]
        self.automaton = ahocorasick.Automaton()
        patterns: dict[str, set[str]] = {}
        for kind in KINDS:
            for word in words.get(kind, []):
                if word:
                    patterns.setdefault(word, set()).add(kind)
        for word, kinds in patterns.items():
            self.automaton.add_word(word, (word, tuple(sorted(kinds))))
        self.empty = not patterns
        if not self.empty:
            self.automaton.make_automaton()

    def _found(self, text: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        if self.empty or not text:
            return found
        for _end, (word, kinds) in self.automaton.iter(text):
            for kind in kinds:
                found.setdefault(kind, set()).add(word)
        return found

    def check(self, contact: ContactData) -> dict:
        """The check results of one contact: words found, timings, and the list of failures."""
        agent_lines = [line for line in contact.lines if line.speaker == AGENT]
        found: dict[str, set[str]] = {}
        for line in agent_lines:
            for kind, words in self._found(line.text).items():
                found.setdefault(kind, set()).update(words)
        first = self._found(agent_lines[0].text) if agent_lines else {}
        last = self._found(agent_lines[-1].text) if agent_lines else {}
        result = {
            "lines": len(contact.lines),
            "greeting": bool(first.get("greeting")),
            "closing": bool(last.get("closing")),
            "polite": sorted(found.get("polite", ())),
            "polite_missing": [w for w in self.polite if w not in found.get("polite", ())],
            "forbidden": sorted(found.get("forbidden", ())),
            "rude": sorted(found.get("rude", ())),
            "arguing": sorted(found.get("arguing", ())),
            "first_reply": _first_reply(contact),
            "talk": contact.talk_seconds,
            "hold": contact.hold_seconds,
            "silences": _silences(contact, self.limits.silence),
        }
        result["failed"] = self._failures(result, bool(agent_lines))
        return result

    def _failures(self, r: dict, agent_spoke: bool) -> list[str]:
        limits, failed = self.limits, []
        if agent_spoke and not r["greeting"]:
            failed.append(NO_GREETING)
        if agent_spoke and not r["closing"]:
            failed.append(NO_CLOSING)
        failed += [code for code in (FORBIDDEN, RUDE, ARGUING) if r[code]]
        if r["first_reply"] is not None and r["first_reply"] > limits.first_reply:
            failed.append(SLOW_FIRST_REPLY)
        if r["talk"] is not None and r["talk"] > limits.talk:
            failed.append(LONG_TALK)
        if r["hold"] is not None and r["hold"] > limits.hold:
            failed.append(LONG_HOLD)
        if r["silences"]:
            failed.append(LONG_SILENCE)
        return failed


def _first_reply(contact: ContactData) -> int | None:
    """Seconds from the customer's first line to the agent's next one (chat and written channels)."""
    asked = None
    for line in contact.lines:
        if line.offset is None:
            return None
        if asked is None and line.speaker == CUSTOMER:
            asked = line.offset
        elif asked is not None and line.speaker == AGENT:
            return int(line.offset - asked)
    return None


def _silences(contact: ContactData, limit: int) -> int:
    """How many gaps between consecutive lines of a call exceed the limit (written channels have none)."""
    if contact.channel != "phone":
        return 0
    offsets = [line.offset for line in contact.lines if line.offset is not None]
    return sum(1 for a, b in zip(offsets, offsets[1:], strict=False) if b - a > limit)
