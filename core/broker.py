"""The embedded default's message broker: kombu's filesystem transport, made safe to read.

kombu writes each message file in place: it creates the file, then locks and writes it. A
worker polling the folder can take the file in between, read nothing, and stop on the
empty message (seen when 50 carers booked at once). Here each message is written under a
name the worker ignores and then renamed into place; a rename within a folder is atomic,
so the worker finds a whole message or none. Redis, in production, is unaffected.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # No ".<queue>.msg" ending: kombu's reader skips it until the rename.
        partial = os.path.join(self.data_folder_out, f"writing-{uuid.uuid4()}.partial")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
