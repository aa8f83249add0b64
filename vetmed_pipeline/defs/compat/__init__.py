"""Compat: the vetmed_compat views (the 14 legacy tables rebuilt from vetmed and the quarantine) and the
proof that nothing was lost: per legacy table, a round trip and an id checksum against the snapshot."""
