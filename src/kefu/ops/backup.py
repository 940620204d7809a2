"""Backups (`kefu backup`, `kefu restore`, the worker's nightly run): whole-database copies, not dumpdata.

SQLite: the online backup API copies a consistent snapshot while the center keeps working (WAL readers and
the one writer are not stopped). PostgreSQL: `pg_dump --format=custom` (Debian's postgresql-client), restored
with `pg_restore --clean`. dumpdata/loaddata is not a backup: loading it over a migrated database brought back
default rows that had been deleted, and it loses sequences.

Backups are files `kefu-YYYYMMDD-HHMMSS.sqlite3` or `.pgdump` in KEFU_BACKUP_DIR; `prune` removes those older
than KEFU_BACKUP_KEEP_DAYS but always keeps the newest KEFU_BACKUP_KEEP_MIN.
"""

import os
import sqlite3
import subprocess  # noqa: S404 (pg_dump and pg_restore, argument lists only)
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

PREFIX = "kefu-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


@dataclass
class BackupResult:
    """Where a backup went and how big it is."""

    path: Path
    bytes: int
    engine: str


def engine(alias: str = "default") -> str:
    """'sqlite' or 'postgresql'."""
    vendor = connections[alias].vendor
    if vendor not in SUFFIXES:
        raise ValidationFailed(_("Backups support SQLite and PostgreSQL only."), code="unsupported_database")
    return vendor


def backup_dir() -> Path:
    """KEFU_BACKUP_DIR, created when missing."""
    path = Path(settings.KEFU_BACKUP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return {k: v for k, v in env.items() if v != ""}


def backup(*, directory: Path | None = None, now: datetime | None = None, alias: str = "default") -> BackupResult:
    """Write a consistent copy of the whole database to a new file in `directory`."""
    kind = engine(alias)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = (directory or backup_dir()) / f"{PREFIX}{stamp}{SUFFIXES[kind]}"
    partial = target.with_name(target.name + ".partial")
    connection = connections[alias]
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(partial) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)],  # noqa: S603, S607
                       env=_pg_env(connection.settings_dict), check=True, capture_output=True)
    partial.replace(target)  # a file with the final name is always complete
    return BackupResult(path=target, bytes=target.stat().st_size, engine=kind)


def restore(*, source: Path, alias: str = "default") -> None:
    """Replace the database's whole content with the backup `source` (made by `backup` on the same engine)."""
    kind = engine(alias)
    if not source.is_file() or source.suffix != SUFFIXES[kind]:
        raise ValidationFailed(_("Not a backup file of this database's kind."), code="not_a_backup", field="file")
    connection = connections[alias]
    if kind == "sqlite":
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationFailed(_("The backup file is damaged."), code="corrupt_backup", field="file")
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        backup_db.close()
    else:
        connection.close()
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603, S607
                               "--single-transaction", "--dbname", str(connection.settings_dict["NAME"]),
                               str(source)], env=_pg_env(connection.settings_dict), capture_output=True, text=True)
        if done.returncode != 0:
            raise ValidationFailed(_("The backup could not be restored."), code="restore_failed", field="file",
                                   params={"detail": done.stderr[-2000:]})


def backups(directory: Path | None = None) -> list[Path]:
    """The backup files in `directory`, oldest first."""
    folder = directory or backup_dir()
    return sorted(p for p in folder.glob(f"{PREFIX}*") if p.suffix in SUFFIXES.values())


def prune(*, directory: Path | None = None, keep_days: int | None = None, keep_min: int | None = None,
          now: datetime | None = None) -> list[Path]:
    """Delete backups older than `keep_days`, always keeping the newest `keep_min`; returns what was deleted."""
    keep_days = settings.KEFU_BACKUP_KEEP_DAYS if keep_days is None else keep_days
    keep_min = settings.KEFU_BACKUP_KEEP_MIN if keep_min is None else keep_min
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    files = backups(directory)
    old = [p for p in files[:max(len(files) - keep_min, 0)]
           if datetime.fromtimestamp(p.stat().st_mtime, tz=cutoff.tzinfo) < cutoff]
    for path in old:
        path.unlink()
    return old

