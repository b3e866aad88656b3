"""Stage 11 — the command line (click), and the demo it runs."""
