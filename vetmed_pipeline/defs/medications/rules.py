"""The medication catalog's four JSONB documents and its contraindications array, as typed rows.

One parser, :func:`parse_medication`, for one legacy catalog row. It never raises: every key of every
document ends as a typed value in a row or as a :class:`Rejection` (its JSON Pointer path, the raw JSON
value and the rule). Rules:

- numbers: JSON numbers, or strings that read as a decimal number ("0.8", " 1.2 ") - a documented
  coercion; anything else (booleans, "abc", lists, NaN) is ``not_a_number``;
- multipliers and doses must be greater than zero (``not_positive``); ``maxReduction`` must lie in
  (0, 1] and ages must not be negative (``out_of_range``);
- route keys (and contraindicated routes) must be a vetmed_route label after trimming and upper-casing,
  or a synonym in ROUTE_SYNONYMS ('PO' -> ORAL); otherwise ``unknown_route``; two keys naming one route:
  the later one is ``duplicate_route``;
- species and breed keys are kept exactly as written; a key equal to an earlier one ignoring case and
  spaces is ``duplicate_key`` (an exact, already clean key wins, so 'dog' beats 'Dog');
  a blank key is ``blank_key``;
- age keys other than ``pediatric`` and ``geriatric`` are ``unknown_age_group``;
- a field the documented shape does not have is ``unknown_field`` - never silently dropped;
- a key whose value is not an object is ``value_not_object``; a document that is not an object (a list,
  a string, a number) is rejected whole (``document_not_object``, path '');
- SQL NULL, JSON null and ``{}`` give no rows; the catalog row keeps the document's JSON type, which
  tells them apart;
- a species or breed key longer than core.text.MAX_INDEXED_BYTES (it is part of the table's key) is
  ``too_long``; a number beyond what a PostgreSQL numeric holds is ``out_of_range``; a document nested
  deeper than MAX_DEPTH is rejected whole (``document_too_deep``).
Contraindications elements: trimmed; blank (``blank_element``), NULL (``null_element``) and repeated
(``duplicate_element``, ignoring case) elements are rejected with their 1-based position.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from vetmed_pipeline.core.text import RULE_TOO_LONG, clean_text, json_depth_exceeds, text_key, too_long

ROUTES = ("ORAL", "SC", "IM", "IV", "TOPICAL", "OTIC", "OPHTHALMIC", "INHALED", "RECTAL", "OTHER")
ROUTE_SYNONYMS = {
    "PO": "ORAL",
    "PER OS": "ORAL",
    "BY MOUTH": "ORAL",
    "SQ": "SC",
    "SUBQ": "SC",
    "SUBCUT": "SC",
    "SUBCUTANEOUS": "SC",
    "INTRAMUSCULAR": "IM",
    "INTRAVENOUS": "IV",
    "TOP": "TOPICAL",
    "EAR": "OTIC",
    "AURICULAR": "OTIC",
    "EYE": "OPHTHALMIC",
    "OPHTH": "OPHTHALMIC",
    "INH": "INHALED",
    "INHALATION": "INHALED",
    "PR": "RECTAL",
}
AGE_GROUPS = ("pediatric", "geriatric")
DOCUMENT_COLUMNS = ("species_adjustments", "route_adjustments", "age_adjustments", "breed_considerations")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class _SqlNull:
    """The document was SQL NULL (not JSON null)."""

    def __repr__(self) -> str:
        return "SQL_NULL"


SQL_NULL: Any = _SqlNull()


class _TooDeep:
    """The document nests deeper than MAX_DEPTH: kept whole in the quarantine, never parsed."""

    def __repr__(self) -> str:
        return "TOO_DEEP"


TOO_DEEP: Any = _TooDeep()
#: Deepest document parsed (the documented shapes are 3 levels deep; Python's parser recurses per level).
MAX_DEPTH = 200
#: PostgreSQL numeric: up to 131,072 digits before the decimal point and 16,383 after.
_NUMERIC_INTEGER_DIGITS = 131_072
_NUMERIC_FRACTION_DIGITS = 16_383


def decode_document(text: str | None) -> Any:
    """A catalog document (jsonb as text) as the parser reads it: numbers exact (Decimal, integers too, so no
    length limit applies), SQL NULL kept apart from JSON null (SQL_NULL), and TOO_DEEP for a document
    nested deeper than MAX_DEPTH."""
    if text is None:
        return SQL_NULL
    if json_depth_exceeds(text, MAX_DEPTH):
        return TOO_DEEP
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


@dataclass(frozen=True)
class Rejection:
    column: str
    path: str  # JSON Pointer (RFC 6901) into the document, or the array position; '' for the whole value
    raw: Any  # the JSON value
    rule: str


@dataclass
class ParsedMedication:
    species: list[dict[str, Any]] = field(default_factory=list)
    routes: list[dict[str, Any]] = field(default_factory=list)
    ages: list[dict[str, Any]] = field(default_factory=list)
    breeds: list[dict[str, Any]] = field(default_factory=list)
    contraindications: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def pointer(*parts: str | int) -> str:
    """JSON Pointer of a path: ('a/b', 'x') -> '/a~1b/x'."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def to_number(value: Any) -> tuple[Decimal | None, str | None]:
    """A JSON number or numeric string as a Decimal, or the rule that rejects it."""
    if isinstance(value, bool) or value is None:
        return None, "not_a_number"
    if isinstance(value, int | Decimal | float):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern only admits valid decimals
            return None, "not_a_number"
    else:
        return None, "not_a_number"
    if not number.is_finite():
        return None, "not_a_number"
    exponent = number.as_tuple().exponent
    if number and (
        number.adjusted() >= _NUMERIC_INTEGER_DIGITS
        or (isinstance(exponent, int) and -exponent > _NUMERIC_FRACTION_DIGITS)
    ):
        return None, "out_of_range"  # beyond what a PostgreSQL numeric holds
    return number, None


def to_route(key: Any) -> str | None:
    """A route label (or synonym) as the vetmed_route label; None when it is neither."""
    if not isinstance(key, str):
        return None
    label = " ".join(key.split()).upper()
    return label if label in ROUTES else ROUTE_SYNONYMS.get(label)


class _Document:
    """Walks one document, collecting rejections for its column."""

    def __init__(self, column: str, out: ParsedMedication) -> None:
        self.column = column
        self.out = out

    def reject(self, path: str, raw: Any, rule: str) -> None:
        self.out.rejections.append(Rejection(self.column, path, raw, rule))

    def entries(self, document: Any) -> list[tuple[str, dict[str, Any]]]:
        """The (key, value object) pairs of an object document; everything else rejected."""
        if document is SQL_NULL or document is None:
            return []
        if document is TOO_DEEP:
            self.reject("", None, "document_too_deep")
            return []
        if not isinstance(document, dict):
            self.reject("", document, "document_not_object")
            return []
        found = []
        for key, value in document.items():
            if not isinstance(value, dict):
                self.reject(pointer(key), value, "value_not_object")
            else:
                found.append((key, value))
        return found

    def number(
        self, path: str, value: Any, *, positive: bool = True, at_most: Decimal | None = None
    ) -> Decimal | None:
        number, rule = to_number(value)
        if rule is None and number is not None:
            if positive and number <= 0:
                rule = "not_positive"
            elif (not positive and number < 0) or (at_most is not None and number > at_most):
                rule = "out_of_range"
        if rule is not None:
            self.reject(path, value, rule)
            return None
        return number

    def field_number(
        self,
        key: str,
        fields: dict[str, Any],
        name: str,
        *,
        positive: bool = True,
        at_most: Decimal | None = None,
    ) -> Decimal | None:
        """The number in field ``name`` of a key's value (None when the field is absent or rejected)."""
        if name not in fields:
            return None
        return self.number(pointer(key, name), fields[name], positive=positive, at_most=at_most)

    def fields(self, key: str, value: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
        """The known fields of a value object; unknown ones rejected."""
        for name, raw in value.items():
            if name not in known:
                self.reject(pointer(key, name), raw, "unknown_field")
        return {name: value[name] for name in known if name in value}

    def unique_text_keys(self, entries: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        """Keys kept as written; blank keys and keys equal ignoring case and spaces to a kept one rejected."""
        kept: dict[str, str] = {}
        # clean keys first, then the rest in document order: 'dog' wins over 'Dog '
        ordered = sorted(entries, key=lambda kv: kv[0] != text_key(clean_text(kv[0])))
        result = []
        for key, value in ordered:
            normalized = text_key(clean_text(key))
            if not normalized:
                self.reject(pointer(key), value, "blank_key")
            elif too_long(key) or too_long(normalized):
                self.reject(pointer(key), value, RULE_TOO_LONG)
            elif normalized in kept:
                self.reject(pointer(key), value, "duplicate_key")
            else:
                kept[normalized] = key
                result.append((key, value))
        return result


def _species(document: Any, out: ParsedMedication) -> None:
    doc = _Document("species_adjustments", out)
    for key, value in doc.unique_text_keys(doc.entries(document)):
        fields = doc.fields(key, value, ("multiplier", "maxDailyDose"))
        out.species.append(
            {
                "species": key,
                "dose_multiplier": doc.field_number(key, fields, "multiplier"),
                "max_daily_dose_mg": doc.field_number(key, fields, "maxDailyDose"),
            }
        )


def _string_list(doc: _Document, key: str, name: str, value: Any) -> list[str] | None:
    if not isinstance(value, list):
        doc.reject(pointer(key, name), value, "not_a_list")
        return None
    kept = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            kept.append(item)
        else:
            doc.reject(pointer(key, name, index), item, "not_a_string")
    return kept


def _routes(document: Any, out: ParsedMedication) -> None:
    doc = _Document("route_adjustments", out)
    seen: set[str] = set()
    entries = doc.entries(document)
    # exact labels first, so {"PO": ..., "ORAL": ...} keeps ORAL and rejects PO as the duplicate
    for key, value in sorted(entries, key=lambda kv: kv[0] not in ROUTES):
        route = to_route(key)
        if route is None:
            doc.reject(pointer(key), value, "unknown_route")
            continue
        if route in seen:
            doc.reject(pointer(key), value, "duplicate_route")
            continue
        seen.add(route)
        fields = doc.fields(key, value, ("multiplier", "additionalWarnings"))
        out.routes.append(
            {
                "route": route,
                "source_key": key,
                "dose_multiplier": doc.field_number(key, fields, "multiplier"),
                "additional_warnings": _string_list(
                    doc, key, "additionalWarnings", fields["additionalWarnings"]
                )
                if "additionalWarnings" in fields
                else None,
            }
        )


def _ages(document: Any, out: ParsedMedication) -> None:
    doc = _Document("age_adjustments", out)
    for key, value in doc.entries(document):
        if key not in AGE_GROUPS:
            doc.reject(pointer(key), value, "unknown_age_group")
            continue
        fields = doc.fields(key, value, ("multiplier", "minAgeMonths", "minAgeYears"))
        out.ages.append(
            {
                "age_group": key,
                "dose_multiplier": doc.field_number(key, fields, "multiplier"),
                "min_age_months": doc.field_number(key, fields, "minAgeMonths", positive=False),
                "min_age_years": doc.field_number(key, fields, "minAgeYears", positive=False),
            }
        )


def _breeds(document: Any, out: ParsedMedication) -> None:
    doc = _Document("breed_considerations", out)
    for key, value in doc.unique_text_keys(doc.entries(document)):
        fields = doc.fields(key, value, ("multiplier", "maxReduction", "contraindicatedRoutes"))
        routes = None
        if "contraindicatedRoutes" in fields:
            listed = _string_list(doc, key, "contraindicatedRoutes", fields["contraindicatedRoutes"])
            if listed is not None:
                routes = []
                for index, item in enumerate(fields["contraindicatedRoutes"]):
                    if not isinstance(item, str):
                        continue  # already rejected as not_a_string
                    route = to_route(item)
                    if route is None:
                        doc.reject(pointer(key, "contraindicatedRoutes", index), item, "unknown_route")
                    else:
                        routes.append(route)
        out.breeds.append(
            {
                "breed": key,
                "dose_multiplier": doc.field_number(key, fields, "multiplier"),
                "max_reduction": doc.field_number(key, fields, "maxReduction", at_most=Decimal(1)),
                "contraindicated_routes": routes,
            }
        )


def _contraindications(elements: list[str | None] | None, out: ParsedMedication) -> None:
    seen: set[str] = set()
    for position, raw in enumerate(elements or [], start=1):
        if raw is None:
            out.rejections.append(Rejection("contraindications", str(position), None, "null_element"))
            continue
        text = clean_text(raw)
        if not text:
            out.rejections.append(Rejection("contraindications", str(position), raw, "blank_element"))
        elif text_key(text) in seen:
            out.rejections.append(Rejection("contraindications", str(position), raw, "duplicate_element"))
        else:
            seen.add(text_key(text))
            out.contraindications.append({"position": position, "contraindication": text, "source_text": raw})


def parse_medication(
    species_adjustments: Any = SQL_NULL,
    route_adjustments: Any = SQL_NULL,
    age_adjustments: Any = SQL_NULL,
    breed_considerations: Any = SQL_NULL,
    contraindications: list[str | None] | None = None,
) -> ParsedMedication:
    """Typed rows and rejections of one catalog row. Documents are decoded JSON (None is JSON null;
    SQL_NULL is SQL NULL, TOO_DEEP a document too deep to read: see decode_document); numbers may be
    Decimal (decode_document keeps them exact)."""
    out = ParsedMedication()
    _species(species_adjustments, out)
    _routes(route_adjustments, out)
    _ages(age_adjustments, out)
    _breeds(breed_considerations, out)
    _contraindications(contraindications, out)
    return out
