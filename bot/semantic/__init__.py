"""Optional dense re-ranking with all-MiniLM-L6-v2 (the `semantic` extra); the core never needs it."""
