"""Talking to participants (issue 17). Built so far: the delegate's home page for an event (home.py for
what it shows, views.py for the page)."""
