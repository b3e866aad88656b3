"""outputs for one file: text, JSON and xlsx reports, the feedback copy."""
