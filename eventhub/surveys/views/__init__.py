"""The survey pages: building and sending (manage), answering by personal link (answer), results and
the completion report (results)."""

from eventhub.surveys.views import answer, manage, results  # noqa: F401  (routes register on import)
from eventhub.surveys.views.common import bp  # noqa: F401
