"""Domain errors: raised by services, carrying a message a user can read."""


class DomainError(Exception):
    """A rule of the domain refused the operation. `field` names the form field it concerns, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The operation clashes with existing data (duplicate, already taken, full)."""
