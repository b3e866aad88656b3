"""the command line (click), and the demo it runs."""
