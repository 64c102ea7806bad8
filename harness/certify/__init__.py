"""Certification of a live implementation: traceability, bundles, mutation score, proxy.

The layer may import every other layer except the CLI and the pytest plugin.
"""
