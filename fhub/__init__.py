"""London family hubs common-outcomes pipeline."""
