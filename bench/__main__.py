"""`python -m bench seed|run|plans|load …`: Django is set up here, once, before the tool's module
is imported (they import models at the top). Settings: conect.settings_bench unless
DJANGO_SETTINGS_MODULE says otherwise."""

import importlib
import os
import sys

TOOLS = {
    "seed": "bench.seed",
    "run": "bench.run",
    "plans": "bench.plans",
    "load": "bench.loadtest",
    "import": "bench.imports",
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TOOLS:
        sys.exit(f"usage: python -m bench {{{'|'.join(TOOLS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings_bench")
    import django

    django.setup()
    importlib.import_module(TOOLS[sys.argv[1]]).main(sys.argv[2:])


if __name__ == "__main__":
    main()
