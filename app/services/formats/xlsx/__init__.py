"""Excel (xlsx) reader and writer in the province layout."""
