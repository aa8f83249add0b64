"""vetmed_pipeline: migrate VetMed Tracker's legacy PostgreSQL schema into a normalized, partitioned one."""
