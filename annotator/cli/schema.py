"""`annotator schema`: show a project's labels and types, and change them after creation."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from annotator.cli.shared import EXIT_STATUS, existing_project
from annotator.formats.export_common import file_target, written_atomically

DESCRIPTION = """\
Show the project's label schema (entity labels, event types with their roles, relation
types), with keys, colours and how many annotations use each; or change it:
  --merge FILE       add the labels and types of a schema file (TOML or JSON, the shape of
                     resources/schemas/news.toml); ones the project has take the file's
                     colour, description, key (if free) and roles; nothing is dropped
  --replace FILE     make FILE the schema; refused if it leaves out a name in use
  --export FILE      write the schema as TOML (- for standard output), to edit and --replace
  --add-label NAME   add one entity label (with --key, --color, --description); without
                     --key it gets the first free letter of its name, as on import
  --rename OLD NEW   rename a label or type, and every span, event, role and mapping using it;
                     onto an existing name of the same kind, the two merge
  --remove NAME      take out a label or type that nothing uses
Close the project in the GUI before renaming or removing: an open window keeps the old names."""


def add_parser(commands) -> None:
    schema = commands.add_parser(
        "schema",
        help="show or change the project's labels, event and relation types",
        description=DESCRIPTION,
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    what = schema.add_mutually_exclusive_group()
    what.add_argument("--merge", metavar="FILE", help="merge a schema file in")
    what.add_argument("--replace", metavar="FILE", help="replace the schema by a schema file")
    what.add_argument("--export", metavar="FILE", help="write the schema as TOML (- for stdout)")
    what.add_argument("--add-label", metavar="NAME", help="add an entity label")
    what.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename a label or type")
    what.add_argument("--remove", metavar="NAME", help="remove an unused label or type")
    what.add_argument("--json", action="store_true", help="print the schema and usage as JSON")
    # None: not given, so the label gets a free key; "" asks for none.
    schema.add_argument(
        "--key", default=None, help='with --add-label: its key (one character; "" for none)'
    )
    schema.add_argument(
        "--color", default="", metavar="#RRGGBB", help="with --add-label: its colour"
    )
    schema.add_argument("--description", default="", help="with --add-label: what it covers")


def run(args) -> int:
    from annotator.core.errors import AnnotatorError
    from annotator.core.schema import load_schema
    from annotator.core.schema_edit import schema_to_toml

    if (args.key is not None or args.color or args.description) and not args.add_label:
        raise AnnotatorError("--key, --color and --description go with --add-label")
    store = existing_project(args.project)
    try:
        with _registered(store, args):
            if args.merge:
                change = store.merge_schema(load_schema(args.merge, partial=True), args.merge)
                print(change.summary())
            elif args.replace:
                dropped, gone = store.replace_schema(load_schema(args.replace))
                print(
                    f"{args.project}: schema replaced by {args.replace}"
                    + (f"; unused names dropped: {', '.join(dropped)}" if dropped else "")
                    + (
                        f"; {gone} open or rejected suggestion(s) of entity labels it no longer "
                        "has were removed"
                        if gone
                        else ""
                    )
                )
            elif args.export:
                text = schema_to_toml(store.schema)
                if args.export == "-":
                    sys.stdout.write(text)
                else:
                    with written_atomically(file_target(args.export, "schema file")) as handle:
                        handle.write(text)
                    print(f"Wrote {args.export}")
            elif args.add_label:
                store.add_label(args.add_label, args.key, args.color, args.description)
                print(f"Added label {args.add_label.strip()}")
            elif args.rename:
                old, new = args.rename
                changed = store.rename_schema_name(old, new)
                print(f"Renamed {old} to {new} ({changed} annotation(s))")
            elif args.remove:
                gone = store.remove_schema_name(args.remove)
                print(
                    f"Removed {args.remove}"
                    + (f" and its {gone} open or rejected suggestion(s)" if gone else "")
                )
            else:
                show(store.schema, store.label_usage(), store.suggestion_usage(), as_json=args.json)
    finally:
        store.close()
    return 0


def _registered(store, args):
    """A schema change is in the registry of writers while it runs (a window waiting for it
    names it); showing or exporting the schema writes nothing and registers nothing."""
    changes = {
        "merge": args.merge,
        "replace": args.replace,
        "add-label": args.add_label,
        "rename": args.rename and " ".join(args.rename),
        "remove": args.remove,
    }
    for flag, value in changes.items():
        if value:
            return store.activity("schema", f"the schema change (--{flag} {value})")
    return contextlib.nullcontext()


def show(schema, used: dict[str, int], suggested: dict[str, int], as_json: bool) -> None:
    """`used`: accepted annotations per name; `suggested`: open or rejected suggestions."""
    if as_json:
        data = schema.to_dict()
        for item in data["entities"]:
            item["used"] = used.get(item["name"], 0)
            item["suggestions"] = suggested.get(item["name"], 0)
        for item in [*data["events"], *data["relations"]]:
            item["used"] = used.get(item["type"], 0)
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    print(f"{schema.name} (language {schema.language})")
    print(f"Entity labels: {len(schema.entities)}")
    for label in schema.entities:
        extra = f" (+{suggested[label.name]} suggested)" if suggested.get(label.name) else ""
        print(
            f"  {label.key or ' '}  {label.name:<14} {label.color}  {used.get(label.name, 0):>7} used{extra}"
            + (f"  {label.description}" if label.description else "")
        )
    for title, types in (("Event types", schema.events), ("Relation types", schema.relations)):
        print(f"{title}: {len(types)}")
        for event_type in types:
            print(
                f"  {event_type.key or ' '}  {event_type.name:<22} {event_type.color}  "
                f"{used.get(event_type.name, 0):>7} used"
            )
            for role in event_type.roles:
                print(f"       {role.name:<14} {' | '.join(role.fillers) or 'anything'}")
    if schema.attributes:
        print(f"Attributes: {len(schema.attributes)}")
        for attribute in schema.attributes:
            values = " | ".join(attribute.values) or "on / off"
            default = f" (default {attribute.default})" if attribute.default else ""
            print(
                f"  {attribute.key or '':<6} {attribute.name:<14} {values}{default}  "
                f"for {' | '.join(attribute.targets) or 'anything'}"
            )
