"""Animals domain: animals without their embedded medical data, de-duplicated veterinarians, and the
allergy and condition arrays as rows."""
