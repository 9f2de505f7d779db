"""Onboarding: /start and /skip for a new person (see flow.py)."""
