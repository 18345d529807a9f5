"""Word (docx) reader and writer in the province layout."""
