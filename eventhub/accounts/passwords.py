"""Password strength: common or trivially guessable passwords are refused, with the reason.

zxcvbn (Dropbox's estimator, kept as the `zxcvbn` package) knows common passwords, names,
dictionary words, keyboard patterns, repeats and dates; a length rule alone lets `aaaaaaaaaa`
and `password123` through.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's 0–4 scale: 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# The estimator's cost grows fast with length; what lies past this adds strength anyway.
_CHECKED_PREFIX = 64


def password_problem(password: str, *, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `password` is refused, in words a person can act on; None when it is fine.

    `user_inputs` are the person's own details (e-mail, name): a password made of them is weak.
    """
    if len(password) < MIN_LENGTH:
        return _("Use at least %(num)d characters.", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(num)d characters.", num=MAX_LENGTH)
    inputs = [part for value in user_inputs if value for part in _parts(value)]
    result = zxcvbn(password[:_CHECKED_PREFIX], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    warning = (feedback.get("warning") or "").strip().rstrip(".")
    # zxcvbn's warnings are English sentences of its own: shown as they are to English readers,
    # replaced by one translated reason for everyone else (its ~20 sentences are not in our catalog).
    from eventhub.i18n import SOURCE_LANGUAGE, current_language

    if warning and current_language() == SOURCE_LANGUAGE:
        return _("%(reason)s. Choose a longer one: a few unrelated words are strong and easy to remember.",
                 reason=warning)
    return _("This password is easy to guess. Choose a longer one: a few unrelated words are strong and "
             "easy to remember.")


def _parts(value: str) -> list[str]:
    """An e-mail address also counts by its local part and its words."""
    value = value.lower()
    local = value.split("@", 1)[0]
    return [value, local, *[w for w in local.replace(".", " ").replace("_", " ").split() if len(w) > 2]]
