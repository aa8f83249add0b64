"""vetmed_pipeline: migrate VetMed Tracker's legacy PostgreSQL schema into a normalized, partitioned one."""

import warnings

# Dagster marks parts of its own API beta (selection syntax, backfill policies) and says so on every
# command; the releases are pinned together, so the notice tells a user nothing they can act on.
warnings.filterwarnings("ignore", message=".*is currently in beta")
