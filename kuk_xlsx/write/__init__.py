"""Foundation for every output: atomic writes, never over an input, NGO text kept inert."""
