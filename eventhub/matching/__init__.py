"""Business matching: profiles, a catalogue with suggestions, meeting requests, a CP-SAT schedule on tables, outcomes."""
