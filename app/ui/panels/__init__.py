"""Side panels of the main window: the project tree and the problems panel."""
