"""The migrate job (every asset of every domain, every month in one run, with all checks) and its nightly
schedule."""
