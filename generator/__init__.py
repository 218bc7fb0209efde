"""Spec -> model -> render -> package: turns the YAML specs in ``mappings/`` into iFlow packages."""
