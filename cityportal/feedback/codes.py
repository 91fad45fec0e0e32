"""Tracking codes: GY-XXXX-XXXX-XXXX, drawn with `secrets` from an alphabet
without look-alike characters (no 0/O, 1/I/L), about 59 bits of randomness,
so a code cannot be guessed and is easy to read out on the phone."""
from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 3
GROUP_LENGTH = 4
_CANONICAL = re.compile(rf"^GY(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS}}}$")


def new_code() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "GY-" + "-".join(groups)


def normalise(typed: str) -> str | None:
    """The canonical code for what a sender typed, or None if it cannot be one.

    Accepts lower case, spaces and missing dashes. Characters outside the
    alphabet make the input invalid rather than being guessed at."""
    compact = re.sub(r"[\s\-]", "", typed.upper())
    if compact.startswith("GY"):
        compact = compact[2:]
    if len(compact) != GROUPS * GROUP_LENGTH:
        return None
    code = "GY-" + "-".join(compact[i:i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))
    return code if _CANONICAL.match(code) else None
