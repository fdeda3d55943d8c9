"""Background loops (outbox, inbound mail) and the all-in-one ``serve`` runner."""
