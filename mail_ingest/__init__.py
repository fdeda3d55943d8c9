"""Mail in: transports move bytes, the parser makes a ParsedMessage, the pipeline records it."""
