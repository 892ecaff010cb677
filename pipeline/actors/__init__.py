"""The actor stage's logic as pure functions over a parsed Doc (the component only writes).

``find_actors`` (``find``) builds candidates (``candidates``), reads their context
(``context``) and resolves each to a mention (``resolve``); ``identity`` gives every person
one identity across the document.
"""

from pipeline.actors.find import find_actors
from pipeline.actors.find_types import ActorMention, actor_id

__all__ = ["ActorMention", "actor_id", "find_actors"]
