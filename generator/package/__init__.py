"""Artifacts as files in memory, written as folders (``iflows/``) and deterministic zips (``dist/``)."""

from generator.package.artifact import Artifact, read_dir, read_zip

__all__ = ["Artifact", "read_dir", "read_zip"]
