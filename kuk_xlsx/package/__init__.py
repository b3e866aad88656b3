"""the file as a package: which files, sniffing, zip and XML limits, the checked reader view.

Nothing here parses a cell value; it decides whether a file is safe to read and
hands the reader a view that holds only checked parts.
"""
