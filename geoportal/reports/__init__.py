"""Residents' problem reports (issue 7, part 2): categories' extra questions and appeal deadlines.

Only the domain core exists so far; models, workflow, routing, Open311 and pages are to come.
"""
