import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from studio.datasets.models import Dataset, DatasetVersion
from tests.studio.datasets.test_import import FINANCE_DEMO


def test_it_imports_a_file_and_prints_the_version(team, capsys):
    call_command("import_dataset", str(FINANCE_DEMO), "--team", "owners", "--name", "Finance demo")
    version = DatasetVersion.objects.get()
    out = capsys.readouterr().out
    assert f"Finance demo v1 (id {version.pk}): 360 rows" in out and version.sha256 in out


def test_it_gives_the_same_version_as_the_web_upload(team, owner, import_file):
    web = import_file(FINANCE_DEMO).result_version
    call_command("import_dataset", str(FINANCE_DEMO), "--team", "owners")
    assert DatasetVersion.objects.get() == web


def test_it_prints_the_problems_and_exits_non_zero(team, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"prompt": "p", "chosen": "c", "rejected": 5}) + "\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_dataset", str(bad), "--team", "owners")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "1 problem(s) in bad.jsonl; nothing was imported." in err
    assert "line 1, field rejected:" in err
    assert not Dataset.objects.exists()


def test_it_refuses_an_unknown_team(db):
    with pytest.raises(CommandError, match="No team 'nobody'"):
        call_command("import_dataset", str(FINANCE_DEMO), "--team", "nobody")


def test_it_never_writes_into_another_teams_dataset(team, other_team, import_file):
    theirs = import_file(FINANCE_DEMO, name="Shared name", into=other_team).result_version
    call_command("import_dataset", str(FINANCE_DEMO), "--team", "owners", "--name", "Shared name")
    mine = DatasetVersion.objects.get(team=team)
    assert mine.dataset != theirs.dataset and theirs.dataset.versions.count() == 1


def test_it_refuses_a_missing_file(team):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_dataset", str(Path("/nonexistent.jsonl")), "--team", "owners")
