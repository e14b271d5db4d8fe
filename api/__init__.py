"""The HTTP face of the tracker: the public record in JSON and CSV, secretariat writes, contacts."""
