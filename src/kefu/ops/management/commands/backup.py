"""`kefu backup`: a consistent copy of the whole database now (SQLite backup API or pg_dump), then pruning."""

from pathlib import Path

from django.core.management.base import BaseCommand

from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError
from kefu.ops import backup


class Command(BaseCommand):
    help = "Back the database up to KEFU_BACKUP_DIR (or --dir) and remove backups past the retention."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where to write the backup (default: KEFU_BACKUP_DIR)")
        parser.add_argument("--no-prune", action="store_true", help="keep every older backup")

    def handle(self, *args, **options):
        directory = Path(options["dir"]) if options["dir"] else None
        if directory:
            directory.mkdir(parents=True, exist_ok=True)
        try:
            result = backup.backup(directory=directory)
        except ServiceError as exc:
            raise fail(exc) from exc
        removed = [] if options["no_prune"] else backup.prune(directory=directory)
        self.stdout.write(dump({"file": str(result.path), "bytes": result.bytes, "engine": result.engine,
                                "removed": [str(p) for p in removed]}))
