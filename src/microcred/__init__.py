"""microcred: micro-credentials the European way.

The core library. It never imports Django, so that the standard, the credentials and the
verifier can be used from any program (``import microcred``) and tested without a database.
"""

__version__ = "0.1.0"
