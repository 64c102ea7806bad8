"""Record-and-replay contract test harness for Astra Control's create-execution-hook API."""

__version__ = "0.1.0"
