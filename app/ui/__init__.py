"""Qt widgets, models and dialogs. Calls services; never runs SQL itself."""
