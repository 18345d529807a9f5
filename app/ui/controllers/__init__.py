"""Controllers of the main window: what menus, the tree and the panels do, with their
dependencies passed in (the window keeps only widgets and menus)."""
