"""Stage 10 — a cohort: many returned files collected, compared, written as xlsx/CSV, kept in rounds."""
