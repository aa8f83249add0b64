"""Rules for the animal row's free-text medical arrays and its denormalized veterinarian fields.

Pure functions over one distinct legacy value (or one distinct vet tuple); the animals load parses each
distinct value once and joins the result in SQL.

Array elements (``allergies``, ``conditions``):
- an element is trimmed and its inner white space collapsed (a documented normalization); its key is
  that text case-folded, so 'Chicken' and 'CHICKEN ' are one allergen;
- a trailing severity annotation is split off: 'Chicken (severe)', 'penicillin - mild',
  'pollen: moderate', 'latex [critical]' (scale: mild, moderate, severe, critical; 'life-threatening'
  and 'anaphylactic' read as critical). Any other parenthesis stays part of the name;
- blank elements ('' or white space) are rejected (rule ``blank_element``), and so are elements (or their
  keys) longer than core.text.MAX_INDEXED_BYTES (``too_long``: the target indexes the key); NULL elements
  and later duplicates of a key within one animal are rejected in SQL (``null_element``,
  ``duplicate_element``).

Veterinarians: see :func:`resolve_vets`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from hashlib import md5

from vetmed_pipeline.core.text import RULE_TOO_LONG, clean_text, text_key, too_long

SEVERITIES = ("mild", "moderate", "severe", "critical")
_SEVERITY_WORDS = {
    "mild": "mild",
    "moderate": "moderate",
    "severe": "severe",
    "critical": "critical",
    "life-threatening": "critical",
    "life threatening": "critical",
    "anaphylactic": "critical",
}
_WORD = "|".join(re.escape(word) for word in sorted(_SEVERITY_WORDS, key=len, reverse=True))
_ANNOTATION = re.compile(
    rf"^(?P<name>.*?\S)\s*(?:\(\s*(?P<p>{_WORD})\s*\)|\[\s*(?P<b>{_WORD})\s*\]|\s[-–—:]\s*(?P<d>{_WORD})|:\s*(?P<c>{_WORD}))\s*$",
    re.IGNORECASE,
)

RULE_BLANK = "blank_element"

#: Allergen type by word (case-folded); the first word of the allergen found here decides, else 'other'.
ALLERGEN_LEXICON: dict[str, str] = {
    **dict.fromkeys(
        [
            "chicken",
            "beef",
            "pork",
            "lamb",
            "fish",
            "salmon",
            "tuna",
            "dairy",
            "milk",
            "egg",
            "eggs",
            "wheat",
            "corn",
            "soy",
            "grain",
            "gluten",
            "peanut",
            "peanuts",
            "turkey",
            "duck",
            "venison",
            "rice",
            "shellfish",
        ],
        "food",
    ),
    **dict.fromkeys(
        [
            "penicillin",
            "amoxicillin",
            "cephalexin",
            "sulfa",
            "sulfonamide",
            "sulfonamides",
            "nsaid",
            "nsaids",
            "carprofen",
            "meloxicam",
            "aspirin",
            "vaccine",
            "vaccines",
            "ivermectin",
            "antibiotic",
            "antibiotics",
            "codeine",
            "morphine",
            "lidocaine",
            "trimethoprim",
            "doxycycline",
            "enrofloxacin",
            "metronidazole",
        ],
        "medication",
    ),
    **dict.fromkeys(
        [
            "pollen",
            "grass",
            "grasses",
            "dust",
            "mites",
            "mite",
            "mold",
            "mould",
            "ragweed",
            "tree",
            "trees",
            "weed",
            "weeds",
            "flea",
            "fleas",
            "storage",
            "hay",
        ],
        "environmental",
    ),
    **dict.fromkeys(
        [
            "latex",
            "nickel",
            "shampoo",
            "wool",
            "plastic",
            "detergent",
            "carpet",
            "rubber",
            "fabric",
            "cleaning",
            "perfume",
        ],
        "contact",
    ),
}
_MEDICATION_SUFFIXES = ("cillin", "mycin", "floxacin", "cycline", "azole", "profen")


@dataclass(frozen=True)
class Element:
    """One parsed array element: its name, key and severity, or the rule that rejected it."""

    name: str | None
    key: str | None
    severity: str | None = None
    allergen_type: str | None = None
    rule: str | None = None


def split_severity(text: str) -> tuple[str, str | None]:
    """'Chicken (severe)' -> ('Chicken', 'severe'); text without a severity annotation is unchanged."""
    match = _ANNOTATION.match(text)
    if match:
        word = next(g for g in (match.group("p"), match.group("b"), match.group("d"), match.group("c")) if g)
        return match.group("name").strip(), _SEVERITY_WORDS[word.casefold()]
    return text, None


def classify_allergen(name: str) -> str:
    """food, environmental, medication, contact or other, from the allergen's words (ALLERGEN_LEXICON)."""
    words = re.findall(r"[^\W\d_]+", text_key(name))
    for word in words:
        if word in ALLERGEN_LEXICON:
            return ALLERGEN_LEXICON[word]
    if any(word.endswith(_MEDICATION_SUFFIXES) for word in words):
        return "medication"
    return "other"


def parse_allergy(raw: str) -> Element:
    """A legacy ``allergies`` element: allergen name, key, severity and type, or ``blank_element``."""
    if too_long(raw):
        return Element(None, None, rule=RULE_TOO_LONG)
    text = clean_text(raw)
    if not text:
        return Element(None, None, rule=RULE_BLANK)
    name, severity = split_severity(text)
    if too_long(text_key(name)):
        return Element(None, None, rule=RULE_TOO_LONG)
    return Element(name, text_key(name), severity, classify_allergen(name))


def parse_condition(raw: str) -> Element:
    """A legacy ``conditions`` element: condition title, key and severity, or ``blank_element``."""
    if too_long(raw):
        return Element(None, None, rule=RULE_TOO_LONG)
    text = clean_text(raw)
    if not text:
        return Element(None, None, rule=RULE_BLANK)
    name, severity = split_severity(text)
    if too_long(text_key(name)):
        return Element(None, None, rule=RULE_TOO_LONG)
    return Element(name, text_key(name), severity)


# --- veterinarians ---------------------------------------------------------------------------------------

_TITLE = re.compile(r"^(?:dr|doctor|dvm)\b\.?\s*", re.IGNORECASE)
_NAME_PUNCTUATION = re.compile(r"[.,;]+")


def normalize_person_name(raw: str | None) -> str | None:
    """'Dr. Ana  Ruiz ' -> 'ana ruiz': title, punctuation, case and spacing removed; None when blank."""
    if raw is None:
        return None
    text = clean_text(_NAME_PUNCTUATION.sub(" ", clean_text(raw)))
    text = clean_text(_TITLE.sub("", text))
    text = re.sub(r",?\s*\bdvm$", "", text, flags=re.IGNORECASE).strip()
    return text_key(text) or None


def normalize_clinic(raw: str | None) -> str | None:
    if raw is None:
        return None
    return text_key(clean_text(_NAME_PUNCTUATION.sub(" ", raw))) or None


def phone_digits(raw: str | None) -> str | None:
    """Digits only; an 11-digit North American number loses its leading country code 1. None without digits."""
    if raw is None:
        return None
    digits = "".join(ch for ch in raw if ch.isascii() and ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits or None


def normalize_email(raw: str | None) -> str | None:
    if raw is None:
        return None
    return raw.strip().lower() or None


@dataclass(frozen=True)
class Vet:
    """A de-duplicated veterinarian: its key and canonical spellings."""

    key: str
    name: str | None
    phone: str | None
    phone_digits: str | None
    email: str | None
    clinic_name: str | None


VetTuple = tuple[str | None, str | None, str | None, str | None]
#: A tuple's identity: normalized name, phone digits, email and clinic (None where blank or too long).
Identity = tuple[str | None, str | None, str | None, str | None]
_KEY_BYTES = 200


RULE_BLANK_TEXT = "blank_text"
RULE_NOT_IDENTIFYING = "not_identifying"
VET_NORMALIZERS: tuple[Callable[[str | None], str | None], ...] = (
    normalize_person_name,
    phone_digits,
    normalize_email,
    normalize_clinic,
)


def vet_field_rule(raw: str | None, normalize: Callable[[str | None], str | None]) -> str | None:
    """Why a legacy vet field cannot be a veterinarian's value (it is quarantined and rebuilt from there), or
    None when it can (or is NULL): ``blank_text`` ('', white space), ``too_long`` (beyond what the
    veterinarians' indexes hold), ``not_identifying`` (nothing left once normalized: a name of only a title
    or punctuation, a phone without digits, a clinic of only punctuation)."""
    if raw is None:
        return None
    if not raw.strip():
        return RULE_BLANK_TEXT
    if too_long(raw):
        return RULE_TOO_LONG
    if normalize(raw) is None:
        return RULE_NOT_IDENTIFYING
    return None


def vet_field_rules(t: VetTuple) -> tuple[str | None, ...]:
    """The rule of each of a tuple's four fields (name, phone, email, clinic)."""
    return tuple(vet_field_rule(raw, normalize) for raw, normalize in zip(t, VET_NORMALIZERS, strict=True))


def _field(normalize: Callable[[str | None], str | None], raw: str | None) -> str | None:
    """A vet field's part in the identity: its normalized value, None when it is not placed."""
    return None if vet_field_rule(raw, normalize) is not None else normalize(raw)


def _key(kind: str, value: str) -> str:
    """A readable key, or its md5 where the value is too long for the key's unique index."""
    key = f"{kind}:{value}"
    return (
        key
        if len(key.encode()) <= _KEY_BYTES
        else f"{kind}:md5:{md5(value.encode(), usedforsecurity=False).hexdigest()}"
    )


@dataclass
class _Cluster:
    """Records of one veterinarian: all agree on every field any two of them have."""

    key: str
    profile: list[
        str | None
    ]  # name, phone digits, email, clinic: the one value the records that have it share
    members: list[Identity] = field(default_factory=list)

    def accepts(self, identity: Identity) -> bool:
        return all(
            a is None or b is None or a == b for a, b in zip(self.profile[1:], identity[1:], strict=True)
        )

    def add(self, identity: Identity) -> None:
        self.members.append(identity)
        self.profile = [a if a is not None else b for a, b in zip(self.profile, identity, strict=True)]


def _place(clusters: list[_Cluster], identity: Identity, kind: str, value: str) -> None:
    """Join the first cluster of this name (or key) whose records all agree with ``identity``, or start one.
    The first cluster of a group keeps the plain key, later ones get the fields that set them apart."""
    for cluster in clusters:
        if cluster.accepts(identity):
            cluster.add(identity)
            return
    key = _key(kind, value)
    if clusters:
        distinct = "|".join(part or "" for part in identity[1:])
        key = f"{key}#{md5(distinct.encode(), usedforsecurity=False).hexdigest()[:12]}"
    clusters.append(_Cluster(key, [None, None, None, None]))
    clusters[-1].add(identity)


def resolve_vets(tuples: Iterable[tuple[VetTuple, int]]) -> tuple[dict[VetTuple, str], list[Vet]]:
    """De-duplicate veterinarians: {legacy tuple: key} and one Vet per key.

    A tuple's identity is its normalized name, phone digits, email and clinic (fields with a
    :func:`vet_field_rule` left out: they are quarantined). Two records are one veterinarian only when they agree on everything
    they both have: records never merge when their phones, emails or clinics conflict, so two vets may share
    a name (two Dr. Smiths in one city). In order:
    1. records with a name join, in a fixed order (most records first, then by identity), the first vet of
       that normalized name whose records all agree with them, or start a new one: the first vet of a name
       is keyed ``name:<normalized name>``, the next ones ``name:<normalized name>#<hash of their fields>``;
    2. a record without a name joins the named vet whose email, else phone, it shares and agrees with, when
       exactly one does (a partial record of a known vet);
    3. otherwise the same as 1., grouped by its email, else phone, else clinic (``email:…``, ``phone:…``,
       ``clinic:…``).
    Tuples with nothing but blanks get no key (no vet data). Canonical spellings are the most frequent
    trimmed spelling among the vet's tuples (ties: the smallest), emails lower-cased. Deterministic: the
    same set of tuples gives the same keys whatever their order.
    """
    counted = list(tuples)
    # Tuples are nearly all distinct, their field values are not: normalize each distinct value once.
    name_of, phone_of, email_of, clinic_of, cleaned = (
        cache(function)
        for function in (normalize_person_name, phone_digits, normalize_email, normalize_clinic, clean_text)
    )
    identities = {
        t: (
            _field(name_of, t[0]),
            _field(phone_of, t[1]),
            _field(email_of, t[2]),
            _field(clinic_of, t[3]),
        )
        for t, _ in counted
    }
    weight: Counter[Identity] = Counter()
    for t, n in counted:
        weight[identities[t]] += n
    # a fixed order, whatever the input's: most records first, then by the identity itself
    order = sorted(weight, key=lambda i: (-weight[i], tuple((part is None, part or "") for part in i)))
    named: dict[str, list[_Cluster]] = defaultdict(list)
    for identity in order:
        if identity[0]:
            _place(named[identity[0]], identity, "name", identity[0])
    all_named = [cluster for clusters in named.values() for cluster in clusters]
    cluster_of: dict[Identity, _Cluster] = {
        member: cluster for cluster in all_named for member in cluster.members
    }
    others: dict[tuple[str, str], list[_Cluster]] = defaultdict(list)
    for identity in order:
        name, phone, email, clinic = identity
        if name or not (phone or email or clinic):
            continue
        for position, value in ((2, email), (1, phone)):
            candidates = [
                c for c in all_named if value and c.profile[position] == value and c.accepts(identity)
            ]
            if len(candidates) == 1:
                candidates[0].add(identity)
                cluster_of[identity] = candidates[0]
                break
        else:
            kind, value = ("email", email) if email else ("phone", phone) if phone else ("clinic", clinic)
            assert value is not None
            group = others[(kind, value)]
            _place(group, identity, kind, value)
            cluster_of[identity] = next(c for c in group if identity in c.members)
    keys: dict[VetTuple, str] = {t: cluster_of[i].key for t, i in identities.items() if i in cluster_of}
    spellings: dict[str, list[Counter[str]]] = defaultdict(
        lambda: [Counter(), Counter(), Counter(), Counter()]
    )
    for t, n in counted:
        if t not in keys:
            continue
        values = (
            None if identities[t][0] is None else cleaned(t[0]),
            None if identities[t][1] is None else cleaned(t[1]),
            identities[t][2],
            None if identities[t][3] is None else cleaned(t[3]),
        )
        for counter, value in zip(spellings[keys[t]], values, strict=True):
            if value:
                counter[value] += n
    vets = []
    for key, (names, phones, emails, clinics) in sorted(spellings.items()):
        canonical_phone = _most_common(phones)
        vets.append(
            Vet(
                key,
                _most_common(names),
                canonical_phone,
                phone_digits(canonical_phone),
                _most_common(emails),
                _most_common(clinics),
            )
        )
    return keys, vets


def _most_common(counter: Counter[str]) -> str | None:
    """The most frequent spelling; ties go to the smallest, so the choice does not depend on order."""
    if not counter:
        return None
    return min(counter, key=lambda value: (-counter[value], value))
