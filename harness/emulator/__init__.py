"""The local tenant emulator: the Cloud Integration API over a SQLite store, a deploy state
machine, and the seam (:mod:`harness.emulator.runtime_port`) where the flow runtime plugs in."""
