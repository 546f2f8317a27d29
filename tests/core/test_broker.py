"""The embedded default's broker never shows a worker a message file before it is whole."""

import os

from kombu import Connection

from core import broker


def test_a_message_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    seen_while_writing = []
    replace = os.replace

    def watching_replace(source, target):
        # The moment before the message takes its name: a worker polling now finds nothing.
        seen_while_writing.extend(n for n in os.listdir(tmp_path) if n.endswith(".celery.msg"))
        replace(source, target)

    monkeypatch.setattr(broker.os, "replace", watching_replace)
    with Connection("filesystem://", transport=broker.Transport, transport_options=options) as conn:
        channel = conn.default_channel
        channel._put("celery", {"body": "x" * 100_000})
        assert seen_while_writing == []
        assert channel._get("celery") == {"body": "x" * 100_000}
    assert os.listdir(tmp_path) == []
