"""`kefu utility`: a CSV import, the detection and the read rates from the command line."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kefu.utility.models import Reading


def test_import_a_csv_then_read_rates(world, utility, tmp_path, capsys):
    path = tmp_path / "readings.csv"
    path.write_text("表号,读数,抄表时间,照片\nM-1001,120,2026-11-06 09:10,P1\nM-2001,900,2026-11-22 10:00,\n",
                    encoding="utf-8")
    call_command("utility", "import", str(path))
    assert json.loads(capsys.readouterr().out)["created"] == 2
    assert Reading.objects.get(meter=utility.meter).photo_ref == "P1"
    call_command("utility", "read-rates", "2026-11", "--by", "class")
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["commercial"]["rate_permille"] == 1000


def test_a_bad_file_fails_naming_the_code(world, utility, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("表号,读数,抄表时间\nNOPE,1,2026-11-06 09:10\n", encoding="utf-8")
    with pytest.raises(CommandError, match="import_rejected"):
        call_command("utility", "import", str(path))
    assert not Reading.objects.exists()


def test_detect_without_raise_only_counts(world, utility, capsys):
    call_command("utility", "detect", "2026-11")
    assert json.loads(capsys.readouterr().out) == {"findings": 0, "by_kind": {}}
