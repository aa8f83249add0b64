"""The domains, one folder each: its assets, checks, pure rules (rules.py), its part of the normalization
registry (placements.py), its named SQL (queries.py, over sql/<domain>/) and its jobs, schedules and
sensors; ``definitions.py`` holds the domain's ``defs``. vetmed_pipeline/definitions.py merges every
folder's; no list of domains is kept anywhere."""
