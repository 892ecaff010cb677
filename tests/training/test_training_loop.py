"""The README's loop, end to end (scripts/training_loop.py): corrections of every kind in two
reviewed articles change the next run on a third article no one reviewed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_every_kind_of_correction_changes_a_fresh_article(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "training_loop.py"), "--work", str(tmp_path / "loop"), "--epochs", "8"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    table = done.stdout[done.stdout.index("On loop-c"):]
    assert "not reached" not in table
    for row in ("| actor: new person | Kwon Se-hun | local:kwon-se-hun (PERSON, None) | kwon-se-hun (PERSON, KOR) |",
                "| main event | ... meet in Seoul and agree ... | meet | agree |",
                "| date form | the Chuseok holiday | no date | 2019-09-13 |"):
        assert row in table
    # the control is shown beside the trained model
    assert "control (the same training without the corrections" in done.stdout
    # and every stage's gold figure, the trained model beside the packaged one
    stages = done.stdout[done.stdout.index("per stage, on the gold articles"):]
    for stage in ("actors: identity F1", "agreements: F1", "dates: value F1", "events: modality accuracy",
                  "events: main-event accuracy", "alignment: link F1"):
        assert stage in stages
