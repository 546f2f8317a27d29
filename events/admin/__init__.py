"""Content admins curate events and see bookings here. Every change goes through events.services."""

from events.admin import bookings, events, materials, series  # noqa: F401  (register the model admins)
