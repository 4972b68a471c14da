"""Changing a project's schema where annotations already use it: what uses each name, and
renaming or removing a label or type with the annotations kept consistent.

Every change is one transaction: the schema and the rows that name it change together or
not at all. Nothing that is in use is ever dropped without the person saying so.
"""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.core.errors import SchemaError
from annotator.core.model import ACCEPTED
from annotator.core.schema import KIND_WORDS, Role, Schema, load_schema, valid_name
from annotator.core.schema_edit import SchemaChange, merge_schema


def usage(store) -> dict[str, int]:
    """How many annotations use each name: accepted spans (entities and triggers' events
    counted once, as events) and events or relations."""
    found: dict[str, int] = {}
    for name, count in store.conn.execute(
            "SELECT label, count(*) FROM spans WHERE kind = 'entity' AND state = ? GROUP BY label",
            (ACCEPTED,)):
        found[name] = found.get(name, 0) + count
    for name, count in store.conn.execute("SELECT type, count(*) FROM events GROUP BY type"):
        found[name] = found.get(name, 0) + count
    return found


def suggestion_usage(store) -> dict[str, int]:
    """Suggestions per label that are open or were rejected (not annotations of anyone's)."""
    return dict(store.conn.execute(
        "SELECT label, count(*) FROM spans WHERE kind = 'entity' AND state != ? GROUP BY label",
        (ACCEPTED,)).fetchall())


def merge_into_project(store, path) -> SchemaChange:
    """Merge the schema file at `path` in; its roles may name the project's labels."""
    change = merge_schema(store.schema, load_schema(path, partial=True), str(path))
    if change.changed:
        with store.write():
            store.set_schema(change.schema)
    return change


def replace_schema(store, new: Schema) -> tuple[list[str], int]:
    """Make `new` the project's schema; refused if it leaves out a name annotations use, or
    makes one of them another kind of name. Returns the names dropped and how many
    suggestions (open or rejected) of dropped labels went with them."""
    current = store.schema
    names = current.names
    dropped = [name for name in names if new.kind_of(name) is None]
    used = usage(store)
    in_use = [f"{name} ({used[name]})" for name in dropped if used.get(name)]
    if in_use:
        raise SchemaError("the new schema leaves out names that annotations use: "
                          + ", ".join(in_use) + "; rename or remove them first")
    for name in names:
        kind, becomes = current.kind_of(name), new.kind_of(name)
        if used.get(name) and becomes not in (None, kind):
            raise SchemaError(f"{name} is {KIND_WORDS[kind]} used {used[name]} time(s); the new "
                              f"schema makes it {KIND_WORDS[becomes]}")
    with store.write():
        # Suggestions are entity spans: a label that leaves, or becomes a type, takes them along.
        gone = _drop_suggestions(store, [n for n in current.label_names if not new.label(n)])
        store.set_schema(new)
    return dropped, gone


def _drop_suggestions(store, labels: list[str]) -> int:
    """Open and rejected suggestions of labels that leave the schema go too: nobody can
    review them any more, and a rejection of a label that's gone guards nothing."""
    if not labels:
        return 0
    marks = ",".join("?" * len(labels))
    return store.conn.execute(f"DELETE FROM spans WHERE kind = 'entity' AND state != ? "
                              f"AND label IN ({marks})", (ACCEPTED, *labels)).rowcount


def rename(store, old: str, new: str) -> int:
    """Rename a label, event type or relation type everywhere: the schema, role fillers, the
    spans or events that carry it, suggestion sources' mappings. When `new` already exists
    (and is of the same kind) the two merge: a span of `old` lying on a span of `new` becomes
    that one. Returns the annotations renamed."""
    schema = store.schema
    kind, target = schema.kind_of(old), schema.kind_of(new)
    if kind is None:
        raise SchemaError(f"the project has no label or type named {old!r}")
    if not valid_name(new):
        raise SchemaError(f"{new!r} can't be a name: letters, digits, _ . - : only")
    if old == new:
        raise SchemaError(f"{old} already has that name")
    if target not in (None, kind):
        raise SchemaError(f"{new} is {KIND_WORDS[target]}, {old} {KIND_WORDS[kind]}: they can't merge")
    renamed = _renamed_schema(schema, old, new)
    with store.write():
        span_kind = "entity" if kind == "entity" else "trigger"
        _fold_twins(store, old, new, span_kind)
        changed = store.conn.execute("UPDATE spans SET label = ? WHERE label = ? AND kind = ?",
                                     (new, old, span_kind)).rowcount
        # An open suggestion now lying on an accepted span of its label suggests nothing.
        store.conn.execute(
            "DELETE FROM spans AS s WHERE s.label = ? AND s.kind = ? AND s.state = 'suggested' "
            "AND EXISTS (SELECT 1 FROM spans a WHERE a.article_id = s.article_id AND a.start = s.start "
            "AND a.end = s.end AND a.kind = s.kind AND a.label = s.label AND a.state = ?)",
            (new, span_kind, ACCEPTED))
        if kind == "entity":
            store.conn.execute("UPDATE spans SET suggested_label = ? WHERE suggested_label = ?", (new, old))
            _remap_sources(store, old, new)
        else:
            changed = store.conn.execute("UPDATE events SET type = ? WHERE type = ?", (new, old)).rowcount
        store.set_schema(renamed)
    return changed


def _renamed_schema(schema: Schema, old: str, new: str) -> Schema:
    def fillers(role: Role) -> Role:
        names = [new if f == old else f for f in role.fillers]
        return replace(role, fillers=tuple(dict.fromkeys(names)))

    def types(items):
        items = [replace(t, roles=tuple(map(fillers, t.roles))) for t in items]
        into = next((t for t in items if t.name == new), None)
        if into is None:
            return [replace(t, name=new) if t.name == old else t for t in items]
        gone = next((t for t in items if t.name == old), None)
        if gone is None:
            return items
        roles = [*into.roles, *(r for r in gone.roles if into.role(r.name) is None)]
        return [replace(t, roles=tuple(roles)) if t.name == new else t
                for t in items if t.name != old]

    if schema.label(new):
        entities = [l for l in schema.entities if l.name != old]
    else:
        entities = [replace(l, name=new) if l.name == old else l for l in schema.entities]
    changed = replace(schema, entities=entities, events=types(schema.events),
                      relations=types(schema.relations))
    return Schema.from_dict(changed.to_dict(), source="the renamed schema")


def _remap_sources(store, old: str, new: str) -> None:
    """Sources that still give the old name (a mapping onto it, a pattern file's label, a
    pipeline never run and so with no labels recorded) map it onto the new one, so that
    running them again still works."""
    from annotator.suggest.pipelines import pattern_labels  # the store doesn't need spaCy's side

    for source in store.sources():
        mapping = {k: (new if v == old else v) for k, v in source.mapping.items()}
        if old not in mapping and (old in pattern_labels(source) or
                                   (source.kind == "model" and not source.mapping)):
            mapping[old] = new
        if mapping != source.mapping:
            store.conn.execute("UPDATE sources SET mapping = ? WHERE id = ?",
                               (json.dumps(mapping), source.id))


def _fold_twins(store, old: str, new: str, span_kind: str) -> None:
    """A span of `old` on the same offsets as one of `new` would become its duplicate: an
    accepted one folds into the accepted twin (its arguments and events move there); a
    suggestion, or a rejection, into the same source's twin in the same state."""
    twins = store.conn.execute(
        "SELECT o.id, min(n.id), o.article_id, o.state FROM spans o JOIN spans n "
        "ON n.article_id = o.article_id AND n.start = o.start AND n.end = o.end "
        "AND n.kind = o.kind AND n.label = ? AND n.state = o.state "
        "AND (o.state = ? OR n.origin = o.origin) "
        "WHERE o.label = ? AND o.kind = ? GROUP BY o.id", (new, ACCEPTED, old, span_kind)).fetchall()
    for duplicate, keep, article_id, state in twins:
        store.conn.execute("UPDATE event_arguments SET span_id = ? WHERE span_id = ?", (keep, duplicate))
        store.conn.execute("UPDATE events SET trigger_id = ? WHERE trigger_id = ?", (keep, duplicate))
        store.conn.execute("DELETE FROM spans WHERE id = ?", (duplicate,))
        if state == ACCEPTED:
            store._bump_count(article_id, -1)
        # An event that had both twins in one role now has the same filler twice there.
        store.conn.execute(
            "DELETE FROM event_arguments WHERE span_id = ? AND id NOT IN (SELECT min(id) FROM "
            "event_arguments WHERE span_id = ? GROUP BY event_id, role)", (keep, keep))


def remove(store, name: str) -> int:
    """Take a label or type no annotation uses out of the schema; its open and rejected
    suggestions go with it. Returns how many suggestions went."""
    schema = store.schema
    if schema.kind_of(name) is None:
        raise SchemaError(f"the project has no label or type named {name!r}")
    if count := usage(store).get(name):
        raise SchemaError(f"{name} is used {count} time(s); delete those annotations, or rename "
                          f"{name}, before removing it")
    # Roles it fills lose it; a role it alone filled would come to allow anything instead.
    only = [f"{t.name}/{r.name}" for t in [*schema.events, *schema.relations]
            for r in t.roles if r.fillers == (name,)]
    if only:
        raise SchemaError(f"{name} is all that may fill {', '.join(only)}; change those roles first")

    def types(items):
        return [replace(t, roles=tuple(replace(r, fillers=tuple(f for f in r.fillers if f != name))
                                       for r in t.roles)) for t in items if t.name != name]

    smaller = replace(schema, entities=[l for l in schema.entities if l.name != name],
                      events=types(schema.events), relations=types(schema.relations))
    with store.write():
        gone = _drop_suggestions(store, [name] if schema.label(name) else [])
        store.set_schema(smaller)
    return gone
