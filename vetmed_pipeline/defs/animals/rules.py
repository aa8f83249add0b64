"""Rules for the animal row's free-text medical arrays and its denormalized veterinarian fields.

Pure functions over one distinct legacy value (or one distinct vet tuple); the animals load parses each
distinct value once and joins the result in SQL.

Array elements (``allergies``, ``conditions``):
- an element is trimmed and its inner white space collapsed (a documented normalization); its key is
  that text case-folded, so 'Chicken' and 'CHICKEN ' are one allergen;
- a trailing severity annotation is split off: 'Chicken (severe)', 'penicillin - mild',
  'pollen: moderate', 'latex [critical]' (scale: mild, moderate, severe, critical; 'life-threatening'
  and 'anaphylactic' read as critical). Any other parenthesis stays part of the name;
- blank elements ('' or white space) are rejected (rule ``blank_element``); NULL elements and later
  duplicates of a key within one animal are rejected in SQL (``null_element``, ``duplicate_element``).

Veterinarians: see :func:`resolve_vets`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from vetmed_pipeline.core.text import clean_text, text_key

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
    text = clean_text(raw)
    if not text:
        return Element(None, None, rule=RULE_BLANK)
    name, severity = split_severity(text)
    return Element(name, text_key(name), severity, classify_allergen(name))


def parse_condition(raw: str) -> Element:
    """A legacy ``conditions`` element: condition title, key and severity, or ``blank_element``."""
    text = clean_text(raw)
    if not text:
        return Element(None, None, rule=RULE_BLANK)
    name, severity = split_severity(text)
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


def resolve_vets(tuples: Iterable[tuple[VetTuple, int]]) -> tuple[dict[VetTuple, str], list[Vet]]:
    """De-duplicate veterinarians: {legacy tuple: key} and one Vet per key.

    The key, in order of preference:
    1. ``name:<normalized name>`` when the tuple has a name: a person is identified by their name
       (title, case, punctuation and spacing removed); phone, email and clinic are attributes;
    2. otherwise the named vet whose normalized email, else phone digits, matches, when exactly one does
       (a partial record of a known vet);
    3. otherwise ``email:<email>``, ``phone:<digits>`` or ``clinic:<clinic>``, the first one present.
    Tuples with nothing but blanks get no key (no vet data). Canonical spellings are the most frequent
    trimmed spelling among the vet's tuples (ties: the smallest), emails lower-cased. Deterministic:
    the same set of tuples gives the same keys whatever their order.
    """
    # No step below depends on the order of the tuples (keys come from sets, spellings from counts with a
    # value tie-break), so they are not sorted.
    counted = list(tuples)
    # Tuples are nearly all distinct, their field values are not: normalize each distinct value once.
    name_of, phone_of, email_of, clinic_of, cleaned = (
        cache(function)
        for function in (normalize_person_name, phone_digits, normalize_email, normalize_clinic, clean_text)
    )
    # plain tuples (name, phone, email, clinic): a dataclass per tuple costs more than the rest together
    identities = {t: (name_of(t[0]), phone_of(t[1]), email_of(t[2]), clinic_of(t[3])) for t, _ in counted}
    keys: dict[VetTuple, str] = {}
    by_email: dict[str, set[str]] = defaultdict(set)
    by_phone: dict[str, set[str]] = defaultdict(set)
    for t, (name, phone, email, _) in identities.items():
        if name:
            keys[t] = f"name:{name}"
            if email:
                by_email[email].add(keys[t])
            if phone:
                by_phone[phone].add(keys[t])
    for t, (_name, phone, email, clinic) in identities.items():
        if t in keys or not (phone or email or clinic):
            continue
        for index, value in ((by_email, email), (by_phone, phone)):
            if value and len(index.get(value, ())) == 1:
                keys[t] = next(iter(index[value]))
                break
        else:
            if email:
                keys[t] = f"email:{email}"
            elif phone:
                keys[t] = f"phone:{phone}"
            else:
                keys[t] = f"clinic:{clinic}"
    spellings: dict[str, list[Counter[str]]] = defaultdict(
        lambda: [Counter(), Counter(), Counter(), Counter()]
    )
    for t, n in counted:
        if t not in keys:
            continue
        name, phone, email, clinic = t
        values = (
            cleaned(name) if name else None,
            cleaned(phone) if phone else None,
            email_of(email),
            cleaned(clinic) if clinic else None,
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
