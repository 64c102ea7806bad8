"""The bundled reference server of the create-execution-hook operation.

It serves the documented contract on 127.0.0.1 from a world file of accounts, users, apps
and hook sources, so scenarios can run and be recorded without an Astra Control account.
"""

from harness.server.app import ReferenceApp, create_app
from harness.server.running import ReferenceServer, serve
from harness.server.world import World, WorldError, load_world

__all__ = [
    "ReferenceApp",
    "ReferenceServer",
    "World",
    "WorldError",
    "create_app",
    "load_world",
    "serve",
]
