"""The one owner of open documents: every change to a stored document goes through here."""
