"""enterprise."""
