"""The files under bad/ are invalid scenario files read by test_loader.py, not scenarios to run."""

collect_ignore_glob = ["bad/*"]
