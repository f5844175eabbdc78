"""Sub-commands of the ``microcred`` command line, one module each."""
