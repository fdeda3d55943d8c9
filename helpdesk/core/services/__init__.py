"""Verbs of the domain. Each one flushes but never commits; the caller's unit of work commits."""
