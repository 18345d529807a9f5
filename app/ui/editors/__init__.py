"""Editors of a document's content: forms, the indicator table, the spending plan."""
