"""Users domain: the monolithic legacy user row split into role-partitioned users, profiles, preferences and
emergency contacts, plus households and memberships."""
