"""metrikk: weekly metrics and shared data products for NAV teams."""

__version__ = "0.1.0"
