"""Local stand-ins for outside services, so the suite needs no internet."""
