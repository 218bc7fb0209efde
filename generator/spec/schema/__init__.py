"""JSON Schemas of the spec files (YAML), packaged with the generator."""
