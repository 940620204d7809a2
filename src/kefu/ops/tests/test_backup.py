"""Backups: a restored backup holds exactly what the database held, table by table; retention; the commands."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from kefu.core.errors import ValidationFailed
from kefu.ops import backup
from kefu.tickets.models import Ticket


def _every_table() -> dict[str, list]:
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected name)
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_equals_the_database_table_by_table(world, tmp_path):
    world.ticket(by=world.agent, title="备份前")
    before = _every_table()
    result = backup.backup(directory=tmp_path)
    assert result.path.exists() and result.bytes > 0

    Ticket.objects.filter(title="备份前").delete()  # what happens after the backup …
    world.ticket(by=world.agent, title="备份后")
    backup.restore(source=result.path)  # … is undone by the restore

    assert _every_table() == before


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "kefu-20260101-000000.txt"
    bogus.write_text("nope")
    with pytest.raises(ValidationFailed) as refused:
        backup.restore(source=bogus)
    assert refused.value.code == "not_a_backup"


def test_prune_keeps_the_newest_and_drops_the_old(tmp_path, settings):
    now = timezone.now()
    files = []
    for days in (30, 20, 10, 1):
        made = now - timedelta(days=days)
        path = tmp_path / f"kefu-{made:%Y%m%d-%H%M%S}.sqlite3"
        path.write_bytes(b"x")
        stamp = made.timestamp()
        os.utime(path, (stamp, stamp))
        files.append(path)
    removed = backup.prune(directory=tmp_path, keep_days=14, keep_min=1, now=now)
    assert set(removed) == {files[0], files[1]}
    assert sorted(tmp_path.iterdir()) == [files[2], files[3]]
    # Never fewer than keep_min, however old.
    assert backup.prune(directory=tmp_path, keep_days=0, keep_min=2, now=now + timedelta(days=99)) == []


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_and_restore(world, tmp_path, capsys):
    call_command("backup", "--dir", str(tmp_path))
    written = list(Path(tmp_path).glob("kefu-*"))
    assert len(written) == 1
    with pytest.raises(CommandError):
        call_command("restore", str(written[0]))  # without --yes
    call_command("restore", str(written[0]), "--yes")
    assert '"restored"' in capsys.readouterr().out
