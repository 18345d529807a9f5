"""PerfGoals (绩效目标编报): offline editor for department budget performance targets."""

__version__ = "0.1.0"
APP_NAME = "PerfGoals"
APP_TITLE_ZH = "绩效目标编报"
