"""What scripts/test tells a person about the browser tests when there is no Chromium: the
truth for where it runs - skipped on a developer's machine, failed in CI."""

import os
import subprocess
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "check-chromium"


def _run(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "PORTAL_REQUIRE_SERVICES"}
    return subprocess.run(  # noqa: S603 - the project's own script
        [str(SCRIPT)],
        env={
            **base,
            "PORTAL_CHROMIUM": "/nonexistent/chromium",
            "PORTAL_INSTALL_CHROMIUM": "0",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )


def test_in_ci_the_notice_says_the_browser_tests_will_fail():
    result = _run(PORTAL_REQUIRE_SERVICES="1")
    assert "will FAIL, because CI must run them" in result.stderr
    assert "skipped" not in result.stdout + result.stderr


def test_on_a_developers_machine_the_notice_says_they_are_skipped():
    result = _run()
    assert "will be skipped here" in result.stdout
    assert "FAIL" not in result.stdout + result.stderr


def test_with_chromium_present_there_is_no_notice(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    result = _run(PORTAL_CHROMIUM=str(chromium), PORTAL_REQUIRE_SERVICES="1")
    assert result.stdout == result.stderr == ""
