"""Hypothesis profiles: where examples are kept, and how CI makes a run repeatable.

- `dev` (the default): examples that failed are kept in `.hypothesis/examples/` at the top of
  the repository (ignored by git) and tried first on the next run, so a failure found once
  is found again until it is fixed.
- `ci` (when CI=true, as .ci/run sets it): no example database, a fixed seed, and a failing
  example printed with the `@reproduce_failure` blob that replays it exactly. The seed is
  printed in the header of the run, with the command that repeats the run:

      CI=true .venv/bin/python -m pytest --hypothesis-seed=<seed> "<test node id>"

  (with the same DATABASE_URL as the run that failed). HYPOTHESIS_SEED or --hypothesis-seed
  chooses another seed; --hypothesis-profile=dev|ci chooses the profile.
- `mutation`: the ci profile without shrinking, for checking that a deliberately broken copy
  fails quickly: --hypothesis-profile=mutation (it uses the same fixed seed).
"""

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import configuration as hypothesis_configuration
from hypothesis.database import DirectoryBasedExampleDatabase

REPOSITORY = Path(__file__).resolve().parent.parent
HOME = REPOSITORY / ".hypothesis"
CI_SEED = 20261201  # changing it changes which examples CI draws; any number will do

# Whatever the directory pytest runs from, Hypothesis writes only under .hypothesis/.
hypothesis_configuration.set_hypothesis_home_dir(HOME)

settings.register_profile(
    "dev",
    database=DirectoryBasedExampleDatabase(HOME / "examples"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    database=None,
    derandomize=False,  # the fixed seed below decides the examples, and is printed
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


# For mutation runs (a deliberately broken copy must fail, and fail fast): the ci profile
# without shrinking, which can take minutes per failing test.
settings.register_profile(
    "mutation",
    settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


settings.load_profile("ci" if in_ci() else "dev")


def ci_seed() -> str:
    return os.environ.get("HYPOTHESIS_SEED") or str(CI_SEED)
