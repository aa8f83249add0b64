"""Report: what a migrate run did, for people. The migration report (an asset of its own job, built after
every migrate run), its charts, the sensors that trigger it, and the summary the CLI prints."""
