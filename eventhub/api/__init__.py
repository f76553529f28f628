"""The JSON API under /api/v1/ (scoped tokens, OpenAPI 3.1 description) and webhooks.

- `models.py`: API tokens with scopes, webhooks and their queued deliveries;
- `auth.py`: reading the Bearer token and the one scope-then-can() check;
- `schemas.py`: the pydantic models the server validates against and the description is built from;
- `views.py`, `read_views.py`, `write_views.py`, `checkins.py`: the endpoints; `pages.py`: tokens and
  integrations pages;
- `webhooks.py`: queueing deliveries in the transaction of a change; `sources.py`: the listeners on
  the changes that queue them; `delivery.py`: sending them.
"""
