"""A requester's data: export, erasure, and the retention policy that purges old mail."""
