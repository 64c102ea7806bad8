"""Tests of the scenario layer: loader, variables, target profiles and shipped scenarios."""
