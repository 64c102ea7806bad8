"""Collection settings of the contract tests."""

# data/ contains OpenAPI documents that the tests read. The scenario plugin collects every
# YAML file below a path given on the command line, so these files are excluded here.
collect_ignore_glob = ["data/*"]
