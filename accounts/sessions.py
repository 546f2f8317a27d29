"""Sessions that know whose they are (SESSION_ENGINE = "accounts.sessions").

Django's database sessions, with one more column: the account signed in. Deleting or closing an
account ends its sessions through that index, without reading anyone else's session.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Session(AbstractBaseSession):
    # No database constraint: a session may briefly name an account that has just gone; Django
    # still deletes an account's sessions with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        db_constraint=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        app_label = "accounts"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if str(user_id or "").isdigit() else None
        return session
