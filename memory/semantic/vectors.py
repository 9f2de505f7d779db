"""The dense half of memory: chromadb collections per person, one for the facts
("companion-person-N") and one for the conversation's windows ("companion-talk-N").

Chroma's calls block, so each runs in a worker thread. Only ids and vectors are kept
in Chroma: the texts live in the relational tables, so there is one place to erase
them. Chroma leaves deleted vectors in its write-ahead queue, its index files and
its SQLite pages, so forgetting rebuilds the collection from what is still kept
(``scrub``) and erasing removes it; both delete the old segment folders and vacuum
the catalogue."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.background import import_heavy

if TYPE_CHECKING:  # chromadb loads on first use, not with the app
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from memory.semantic.embedding import MiniLM

log = logging.getLogger(__name__)


FACTS = "person"  # the name the facts' collection always had
TALK = "talk"


class EmbeddingUnavailable(RuntimeError):
    """The embedding model is not on this machine and could not be downloaded: memory
    search is off until it is there. Said once in the log, in one line, not per message."""


def collection_name(person_id: int, space: str = FACTS) -> str:
    """3-512 characters of [a-zA-Z0-9._-], derived from the id alone."""
    return f"companion-{space}-{int(person_id)}"


@dataclass(frozen=True, slots=True)
class DenseHit:
    id: str
    distance: float


class VectorIndex:
    def __init__(
        self,
        embed: MiniLM | None = None,
        *,
        path: Path | None = None,
        url: str | None = None,
        load_embed: Callable[[], MiniLM] | None = None,
    ):
        """``load_embed`` instead of ``embed``: the model (and chromadb) load on first
        use, so a command that never touches memory never pays for them."""
        self._embed = embed
        self._load_embed = load_embed
        self._embed_lock = threading.Lock()
        self.path = path
        self.url = url
        self._client: ClientAPI | None = None
        self._collections: dict[tuple[int, str], Collection] = {}
        self._lock = threading.RLock()

    @property
    def embed(self) -> MiniLM:
        if self._embed is None:
            with self._embed_lock:
                if self._embed is None:
                    assert self._load_embed is not None, "VectorIndex needs an embedding"
                    self._embed = self._load_embed()
        return self._embed

    # ------------------------------------------------------------------ client

    def _connect(self) -> ClientAPI:
        if self._client is None:
            chromadb = import_heavy("chromadb")

            settings = chromadb.Settings(anonymized_telemetry=False)
            if self.url:
                from urllib.parse import urlparse

                parsed = urlparse(self.url)
                self._client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
            else:
                assert self.path is not None
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)
        return self._client

    def _collection(self, person_id: int, space: str = FACTS) -> Collection:
        with self._lock:
            found = self._collections.get((person_id, space))
            if found is None:
                found = self._connect().get_or_create_collection(
                    collection_name(person_id, space),
                    embedding_function=None,  # vectors are always given
                    metadata={"hnsw:space": "cosine"},
                )
                self._collections[(person_id, space)] = found
            return found

    # ------------------------------------------------------------------ blocking work

    def _upsert_vectors(self, person_id: int, space: str, ids: list[str], vectors: Any) -> None:
        if ids:
            self._collection(person_id, space).upsert(ids=ids, embeddings=vectors)

    def _upsert(self, person_id: int, ids: list[str], texts: list[str], space: str) -> None:
        self._upsert_vectors(person_id, space, ids, self.embed(texts))

    def _delete(self, person_id: int, ids: list[str], space: str = FACTS) -> None:
        if ids:
            # Chroma refuses a delete naming an id twice (a window can both hold a
            # forgotten turn and be stale), and deletes nothing then.
            self._collection(person_id, space).delete(ids=list(dict.fromkeys(ids)))

    def _query(self, person_id: int, vector: Any, k: int, space: str = FACTS) -> list[DenseHit]:
        collection = self._collection(person_id, space)
        count = collection.count()
        if count == 0:
            return []
        result = collection.query(
            query_embeddings=[vector], n_results=min(k, count), include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [DenseHit(i, float(d)) for i, d in zip(ids, distances, strict=False)]

    def _ids(self, person_id: int, space: str) -> set[str]:
        return set(self._collection(person_id, space).get(include=[])["ids"])

    def _drop(self, person_id: int, spaces: tuple[str, ...] = (FACTS, TALK)) -> None:
        from chromadb.errors import NotFoundError

        with self._lock:
            client = self._connect()
            folders: list[str] = []
            for space in spaces:
                name = collection_name(person_id, space)
                self._collections.pop((person_id, space), None)
                folders.extend(self._segment_ids(client, name))
                try:
                    client.delete_collection(name)
                except (NotFoundError, ValueError):
                    pass
            if self.path is not None and not self.url:
                self._scrub_files(folders)

    def _scrub(self, person_id: int, space: str) -> None:
        """Rebuild the collection from the vectors still in it: deleted ones linger in
        Chroma's queue, index files and free pages until their collection is gone."""
        with self._lock:
            collection = self._collection(person_id, space)
            kept = collection.get(include=["embeddings"])
            ids = list(kept["ids"])
            vectors = kept.get("embeddings")
            self._drop(person_id, (space,))
            if ids and vectors is not None:
                fresh = self._collection(person_id, space)
                for start in range(0, len(ids), 2000):
                    fresh.add(
                        ids=ids[start : start + 2000], embeddings=vectors[start : start + 2000]
                    )

    def _segment_ids(self, client: ClientAPI, name: str) -> list[str]:
        if self.path is None or self.url:
            return []
        from chromadb.errors import NotFoundError

        try:
            collection_id = str(client.get_collection(name).id)
        except (NotFoundError, ValueError):
            return []
        with sqlite3.connect(self.path / "chroma.sqlite3") as catalogue:
            rows = catalogue.execute(
                "SELECT id FROM segments WHERE collection = ?", (collection_id,)
            ).fetchall()
        return [str(r[0]) for r in rows]

    def _scrub_files(self, segments: list[str]) -> None:
        assert self.path is not None
        for segment in segments:
            folder = self.path / segment
            if folder.is_dir() and folder.resolve().parent == self.path.resolve():
                shutil.rmtree(folder)
        catalogue = sqlite3.connect(self.path / "chroma.sqlite3", timeout=30)
        try:
            catalogue.execute("VACUUM")  # deleted rows linger in free pages otherwise
        finally:
            catalogue.close()

    # ------------------------------------------------------------------ async API

    def check_embedding(self) -> None:
        """Offline without the model, as a failure a moment ago showed: said here,
        not from a worker thread started for it (each message would start one)."""
        if self._embed is not None:
            self._embed.raise_if_failed_recently()

    async def upsert(
        self, person_id: int, ids: list[str], texts: list[str], space: str = FACTS
    ) -> None:
        """Embed ``texts`` and store their vectors (in a worker thread)."""
        if ids:
            self.check_embedding()
            await asyncio.to_thread(self._upsert, person_id, ids, texts, space)

    async def delete(self, person_id: int, ids: list[str], space: str = FACTS) -> None:
        if ids:
            await asyncio.to_thread(self._delete, person_id, ids, space)

    async def embed_query(self, text: str) -> Any:
        self.check_embedding()
        return (await asyncio.to_thread(self.embed, [text]))[0]

    async def query(
        self, person_id: int, vector: Any, k: int, space: str = FACTS
    ) -> list[DenseHit]:
        return await asyncio.to_thread(self._query, person_id, vector, k, space)

    def query_sync(self, person_id: int, vector: Any, k: int, space: str = FACTS) -> list[DenseHit]:
        return self._query(person_id, vector, k, space)

    def _search_spaces(
        self, person_id: int, text: str, k: int, spaces: tuple[str, ...]
    ) -> tuple[Any, dict[str, list[DenseHit]]]:
        vector = self.embed([text])[0]
        return vector, {space: self._query(person_id, vector, k, space) for space in spaces}

    async def search_spaces(
        self, person_id: int, text: str, k: int, spaces: tuple[str, ...]
    ) -> tuple[Any, dict[str, list[DenseHit]]]:
        """Embed ``text`` and query several of the person's collections, in one
        worker thread (a reply waits for this: one hop, not three)."""
        self.check_embedding()
        return await asyncio.to_thread(self._search_spaces, person_id, text, k, spaces)

    async def ids(self, person_id: int, space: str) -> set[str]:
        return await asyncio.to_thread(self._ids, person_id, space)

    async def scrub(self, person_id: int, space: str) -> None:
        """Make deletions real on disk (see ``_scrub``)."""
        await asyncio.to_thread(self._scrub, person_id, space)

    async def drop(self, person_id: int) -> None:
        """Remove the person's collections and, for the embedded store, their files."""
        await asyncio.to_thread(self._drop, person_id)

    async def close(self) -> None:
        self._collections.clear()
        self._client = None
