"""Extract: the legacy tables as source assets, and one consistent snapshot of them in vetmed_staging.
(The lineage also draws vetmed/departures in this group: it runs right after the snapshot; its code is
the time series', defs/timeseries/departures.py.)"""
