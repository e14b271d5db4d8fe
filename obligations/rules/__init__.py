"""Pure treaty rules: facts and a date in, dates and their reasons out. No I/O here."""
