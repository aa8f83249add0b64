"""Medications domain: the catalog's core facts, dosage guidelines, and its JSONB documents and
contraindications array as relational rows."""
