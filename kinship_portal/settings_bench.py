"""Production settings plus one bare view, for the load benchmark (scripts/bench) only."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "kinship_portal.urls_bench"
