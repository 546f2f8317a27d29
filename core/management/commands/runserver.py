"""`manage.py runserver` as ./scripts/run uses it, with room for a rush of visitors.

Django's development server queues only 10 connections waiting to be accepted; when 50
carers press "Book a place" at the same moment the rest are reset before Django sees them.
This server queues 128, like a production server would. Static files stay with whitenoise
("core" comes before whitenoise.runserver_nostatic in INSTALLED_APPS so this command wins).
"""

from django.core.servers.basehttp import WSGIServer
from whitenoise.runserver_nostatic.management.commands.runserver import Command as Runserver


class PortalDevelopmentServer(WSGIServer):
    request_queue_size = 128


class Command(Runserver):
    server_cls = PortalDevelopmentServer
