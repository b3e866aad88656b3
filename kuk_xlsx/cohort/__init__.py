"""a cohort: many returned files collected, compared, written as xlsx/CSV, kept in rounds."""
