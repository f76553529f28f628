"""Attendance models (check-ins) live here."""
