"""Shared machinery every domain uses: connections and named SQL, resources, the target schema, the
quarantine, check factories, monthly partitions, the environment, the embedded server and preflight.

Nothing here knows a domain: the domains (``vetmed_pipeline.defs.<domain>``) import from here, never the
other way round."""
