"""Response-time, backlog and engagement figures, computed in SQL from the ticket event log."""
