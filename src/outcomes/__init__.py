"""Outcomes analytics: aggregation, rates and confidence intervals, inequality, trends and progress,
benchmarking and community profiles.

Plain arrays and data frames in, plain results out. This package never imports Django, so it can be
tested, benchmarked and reused on its own. Every method cites its source; see ``docs/methods.md``.
"""
