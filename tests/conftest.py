"""Shared fixtures: paths to the shared material and the models, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
SEED_ARTICLE = SHARED_DIR / "seeds" / "000_ed224ae42dbf410d.txt"
CORPUS_DIR = REPO_ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolated_from_the_machine(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in an empty working folder with no model chosen by the environment, so a
    ``models/default.json`` left by a user's training, an ``outputs/`` folder or a
    ``$CCPIPELINE_MODEL`` on this machine cannot change what a test sees."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    monkeypatch.delenv("CCPIPELINE_MODEL", raising=False)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.fail(f"the seed article is missing: {SEED_ARTICLE}")
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def base_nlp() -> Language:
    """The bare statistical English model."""
    from pipeline.model import load_base_model

    return load_base_model()
