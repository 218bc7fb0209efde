"""One module per CLI verb; see ``s4amz.cli``."""
