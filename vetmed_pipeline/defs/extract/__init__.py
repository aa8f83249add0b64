"""Extract: the legacy tables as source assets, and one consistent snapshot of them in vetmed_staging."""
