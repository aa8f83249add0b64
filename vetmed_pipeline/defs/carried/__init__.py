"""Tables carried over with their legacy ids, their user references remapped to the composite user keys:
push subscriptions, suggestions, regimens, inventory items and cosign requests."""
