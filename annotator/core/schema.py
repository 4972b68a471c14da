"""The label schema: which labels exist, their colours, keys and descriptions.

Read from a TOML file a person can edit (resources/schemas/news.toml is the default) and stored
in the project as JSON, so a project file is self-contained.
"""

from __future__ import annotations

import colorsys
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annotator.core.errors import SchemaError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LABEL = re.compile(r"^[A-Za-z0-9_.\-:]+$")
# Keys the view keeps for itself (navigation, deletion); a label can't take them.
RESERVED_KEYS = {" ", "\t", "\n"}


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str = ""
    description: str = ""


@dataclass
class Schema:
    name: str = "Untitled schema"
    language: str = "en"
    entities: list[Label] = field(default_factory=list)

    def label(self, name: str) -> Label | None:
        for label in self.entities:
            if label.name == name:
                return label
        return None

    def label_for_key(self, key: str) -> Label | None:
        key = key.lower()
        for label in self.entities:
            if label.key and label.key.lower() == key:
                return label
        return None

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.entities]

    def with_label(self, name: str) -> "Schema":
        """A copy with one more entity label, coloured and keyed so that it stays usable."""
        if self.label(name):
            return self
        used = {label.key.lower() for label in self.entities if label.key}
        key = next((c for c in name.lower() + "0123456789" if c.isalnum() and c not in used), "")
        color = _generated_colour(len(self.entities))
        added = Label(name=name, color=color, key=key, description="added on import")
        return Schema(self.name, self.language, [*self.entities, added])

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "language": self.language,
            "entities": [asdict(label) for label in self.entities],
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "schema") -> "Schema":
        if not isinstance(data, dict):
            raise SchemaError(f"{source}: expected a table of settings")
        entities = data.get("entities", [])
        if not isinstance(entities, list):
            raise SchemaError(f"{source}: 'entities' must be a list of [[entities]] tables")
        labels: list[Label] = []
        seen_names: set[str] = set()
        seen_keys: dict[str, str] = {}
        for number, item in enumerate(entities, start=1):
            where = f"{source}: entity label {number}"
            if not isinstance(item, dict):
                raise SchemaError(f"{where}: expected a table")
            name = str(item.get("label") or item.get("name") or "").strip()
            if not name or not _LABEL.match(name):
                raise SchemaError(f"{where}: label name {name!r} must be letters, digits, _ . - :")
            if name in seen_names:
                raise SchemaError(f"{where}: label {name} is declared twice")
            color = str(item.get("color", "")).strip() or _generated_colour(number - 1)
            if not _COLOUR.match(color):
                raise SchemaError(f"{where} ({name}): colour {color!r} is not #rrggbb")
            key = str(item.get("key", "")).strip()
            if len(key) > 1 or key in RESERVED_KEYS:
                raise SchemaError(f"{where} ({name}): key {key!r} must be a single character")
            if key and key.lower() in seen_keys:
                raise SchemaError(
                    f"{where} ({name}): key {key!r} is already used by {seen_keys[key.lower()]}"
                )
            if key:
                seen_keys[key.lower()] = name
            seen_names.add(name)
            labels.append(Label(name, color.lower(), key, str(item.get("description", ""))))
        return cls(
            name=str(data.get("name", "Untitled schema")),
            language=str(data.get("language", "en")),
            entities=labels,
        )


def load_schema(path: str | Path) -> Schema:
    """Read a schema file: TOML, or JSON of the same shape when the name ends in .json."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() == ".json":
                data = json.load(handle)
            else:
                data = tomllib.load(handle)
    except OSError as error:
        raise SchemaError(f"{path}: cannot read the schema file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise SchemaError(f"{path}: not valid TOML ({error})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: not valid JSON ({error})") from error
    return Schema.from_dict(data, source=str(path))


def _generated_colour(index: int) -> str:
    # Golden-ratio hue steps keep successive generated colours apart.
    hue = (0.13 + index * 0.618034) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.62, 0.65)
    return "#{:02x}{:02x}{:02x}".format(int(r * 255), int(g * 255), int(b * 255))
