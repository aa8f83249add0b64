"""Deterministic, realistic and deliberately messy rows for all 14 legacy tables.

Pure Python, no database: ``generate(scale, seed)`` returns the same rows for the same arguments on every
machine (one ``random.Random``, timestamps from a fixed epoch, never the wall clock). Every trap a
migration rule has to survive is planted on purpose, and ``TRAPS`` names the ones the users domain relies
on, so tests can find them without guessing. All people are invented; addresses use example.* domains.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from vetmed_pipeline.core import legacy_spec

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
#: Bump when the rows for a given (scale, seed) change, so the demo rebuilds a database seeded before.
GENERATOR_VERSION = 6

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Anaïs",
    "Björn",
    "Chloé",
    "Dmitrij",
    "Émile",
    "Nuñez",
    "小明",
    "さくら",
    "Юлия",
    "Αλέξης",
    "محمد",
    "Siobhán",
    "Ngọc",
    "Oğuz",
    "Ainhoa",
    "Kāne",
]
LAST_NAMES = [
    "Smith",
    "Garcia",
    "Müller",
    "Kowalski",
    "Nguyen",
    "O'Brien",
    "van der Berg",
    "Dubois",
    "Rossi",
    "Johansson",
    "Papadopoulos",
    "Yılmaz",
    "Kim",
    "Tanaka",
    "Ivanova",
    "García-López",
    "Ó Súilleabháin",
    "王",
    "Schäfer",
    "Lefèvre",
]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"]
TIMEZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Denver",
]
PRONOUNS = ["she/her", "he/him", "they/them", "", None]
SPECIES = ["dog", "dog", "dog", "cat", "cat", "Cat", "bird", "rabbit", "ferret", "horse"]
BREEDS = {
    "dog": ["Border Collie", "Labrador", "Greyhound", "Beagle", None],
    "cat": ["Siamese", "Maine Coon", "Domestic Shorthair", None],
}
ANIMAL_NAMES = ["Bella", "Max", "Luna", "Charlie", "Milo", "Nala", "Rocky", "Coco", "Ziggy", "Pépé", "Mochi"]

# (generic, brand, strength, route, form, min mg/kg, max mg/kg, typical mg/kg, every n hours)
MEDICATIONS = [
    ("Carprofen", "Rimadyl", "75 mg", "ORAL", "TABLET", 2.0, 4.4, 4.4, 24),
    ("Carprofen", "Rimadyl", "50 mg/mL", "SC", "INJECTION", 2.0, 4.4, 4.4, 24),
    ("Meloxicam", "Metacam", "1.5 mg/mL", "ORAL", "LIQUID", 0.1, 0.2, 0.1, 24),
    ("Robenacoxib", "Onsior", "6 mg", "ORAL", "TABLET", 1.0, 2.4, 1.0, 24),
    ("Gabapentin", "Neurontin", "100 mg", "ORAL", "CAPSULE", 5.0, 20.0, 10.0, 12),
    ("Tramadol", "Ultram", "50 mg", "ORAL", "TABLET", 2.0, 5.0, 4.0, 8),
    ("Buprenorphine", "Simbadol", "1.8 mg/mL", "SC", "INJECTION", 0.01, 0.03, 0.02, 24),
    ("Amoxicillin-clavulanate", "Clavamox", "62.5 mg", "ORAL", "TABLET", 12.5, 25.0, 13.75, 12),
    ("Cephalexin", "Keflex", "500 mg", "ORAL", "CAPSULE", 15.0, 30.0, 22.0, 12),
    ("Doxycycline", "Vibramycin", "100 mg", "ORAL", "TABLET", 5.0, 10.0, 5.0, 12),
    ("Enrofloxacin", "Baytril", "22.7 mg", "ORAL", "TABLET", 5.0, 20.0, 10.0, 24),
    ("Metronidazole", "Flagyl", "250 mg", "ORAL", "TABLET", 10.0, 15.0, 12.5, 12),
    ("Clindamycin", "Antirobe", "75 mg", "ORAL", "CAPSULE", 5.5, 11.0, 11.0, 12),
    ("Maropitant", "Cerenia", "10 mg/mL", "SC", "INJECTION", 1.0, 1.0, 1.0, 24),
    ("Ondansetron", "Zofran", "4 mg", "ORAL", "TABLET", 0.1, 1.0, 0.5, 12),
    ("Famotidine", "Pepcid", "10 mg", "ORAL", "TABLET", 0.5, 1.0, 0.5, 12),
    ("Omeprazole", "Prilosec", "20 mg", "ORAL", "CAPSULE", 0.7, 1.0, 1.0, 24),
    ("Prednisolone", None, "5 mg", "ORAL", "TABLET", 0.5, 2.0, 1.0, 24),
    ("Dexamethasone", "Azium", "2 mg/mL", "IV", "INJECTION", 0.05, 0.2, 0.1, 24),
    ("Furosemide", "Salix", "50 mg/mL", "IM", "INJECTION", 1.0, 4.0, 2.0, 12),
    ("Pimobendan", "Vetmedin", "5 mg", "ORAL", "CAPSULE", 0.2, 0.3, 0.25, 12),
    ("Enalapril", "Enacard", "10 mg", "ORAL", "TABLET", 0.25, 0.5, 0.5, 12),
    ("Amlodipine", "Norvasc", "2.5 mg", "ORAL", "TABLET", 0.1, 0.5, 0.18, 24),
    ("Methimazole", "Felimazole", "5 mg", "ORAL", "TABLET", 0.5, 1.0, 0.5, 12),
    ("Levothyroxine", "Soloxine", "0.5 mg", "ORAL", "TABLET", 0.02, 0.022, 0.02, 12),
    ("Insulin glargine", "Lantus", "100 IU/mL", "SC", "INJECTION", None, None, None, 12),
    ("Phenobarbital", None, "60 mg", "ORAL", "TABLET", 2.0, 5.0, 2.5, 12),
    ("Levetiracetam", "Keppra", "500 mg", "ORAL", "TABLET", 20.0, 30.0, 20.0, 8),
    ("Ivermectin", "Heartgard", "68 mcg", "ORAL", "TABLET", 0.006, 0.012, 0.006, None),
    ("Selamectin", "Revolution", "60 mg", "TOPICAL", "OTHER", 6.0, 12.0, 6.0, None),
    ("Fipronil", "Frontline", "9.8%", "TOPICAL", "SPRAY", None, None, None, None),
    ("Oclacitinib", "Apoquel", "16 mg", "ORAL", "TABLET", 0.4, 0.6, 0.5, 12),
    ("Diphenhydramine", "Benadryl", "25 mg", "ORAL", "TABLET", 2.0, 4.0, 2.0, 8),
    ("Tobramycin", "Tobrex", "0.3%", "OPHTHALMIC", "DROPS", None, None, None, 8),
    ("Gentamicin-betamethasone", "Otomax", "3 mg/g", "OTIC", "OINTMENT", None, None, None, 12),
    ("Fluticasone", "Flovent", "110 mcg", "INHALED", "SPRAY", None, None, None, 12),
    ("Diazepam", "Valium", "5 mg/mL", "RECTAL", "LIQUID", 0.5, 2.0, 1.0, None),
    ("Chlorhexidine", None, "4%", "TOPICAL", "CREAM", None, None, None, 24),
]
SPECIES_DOCUMENTS = [
    '{"dog": {"multiplier": 1.0}, "cat": {"multiplier": 0.8}}',
    '{"dog": {"multiplier": 1.2}, "cat": {"multiplier": 0.75}}',
    '{"dog": {"multiplier": 1.0}, "bird": {"multiplier": 1.2, "maxDailyDose": 50}}',
    '{"dog": {"multiplier": 1.2}}',
    "{}",
    "null",
    None,
]
ROUTE_DOCUMENTS = [
    '{"ORAL": {"multiplier": 1.0}}',
    '{"IV": {"multiplier": 0.5, "additionalWarnings": ["Monitor for reactions"]}}',
    '{"PO": {"multiplier": 1.0}, "SQ": {"multiplier": 0.9}}',
    None,
    "{}",
]
AGE_DOCUMENTS = [
    '{"pediatric": {"multiplier": 0.8, "minAgeMonths": 2}, "geriatric": {"multiplier": 0.9, "minAgeYears": 7}}',
    '{"geriatric": {"multiplier": 0.75, "minAgeYears": 10}}',
    None,
    "null",
]
BREED_DOCUMENTS = [
    '{"collie": {"contraindicatedRoutes": ["IV"], "maxReduction": 0.5}, "greyhound": {"multiplier": 0.9}}',
    '{"border collie": {"maxReduction": 0.25}}',
    None,
    "{}",
]
#: (catalog index, column values, trap) planted whatever the random draw gave
MEDICATION_TRAPS: list[tuple[int, dict[str, Any], str]] = [
    (
        0,
        {"species_adjustments": '{"dog": {"multiplier": 1.2}, "cat": {"multiplier": 0.8}}'},
        "dog_multiplier_number",
    ),
    (
        1,
        {"species_adjustments": '{"dog": {"multiplier": "1.2"}, "cat": {"multiplier": " 0.75 "}}'},
        "numeric_strings",
    ),
    (
        2,
        {
            "species_adjustments": '{"dog": {"multiplier": "abc"}, "cat": {"multiplier": 0}, "ferret": {"multiplier": -1}}'
        },
        "bad_multipliers",
    ),
    (
        3,
        {"species_adjustments": '{"Dog": {"multiplier": 1.2}, "dog": {"multiplier": 1.0}}'},
        "species_case_duplicate",
    ),
    (
        4,
        {"species_adjustments": '{"bird": {"multiplier": 1.2, "maxDailyDose": 50, "notes": "crush it"}}'},
        "unknown_field",
    ),
    (5, {"species_adjustments": "[1, 2]", "route_adjustments": '"ORAL"'}, "document_not_object"),
    (
        6,
        {
            "species_adjustments": "null",
            "route_adjustments": "{}",
            "age_adjustments": None,
            "breed_considerations": "null",
        },
        "null_and_empty_documents",
    ),
    (
        7,
        {
            "route_adjustments": '{"PO": {"multiplier": 1.0}, "SQ": {"multiplier": 0.9}, "XX": {"multiplier": 1}, '
            '"IV": {"multiplier": 0.5, "additionalWarnings": ["Monitor for reactions", 42]}}'
        },
        "route_synonyms_and_unknown_route",
    ),
    (8, {"route_adjustments": '{"PO": {"multiplier": 1.0}, "ORAL": {"multiplier": 1.0}}'}, "duplicate_route"),
    (
        9,
        {
            "age_adjustments": '{"pediatric": {"multiplier": 0.8, "minAgeMonths": 2}, "geriatric": {"multiplier": 0.9, '
            '"minAgeYears": 7}, "neonatal": {"multiplier": 0.5}}'
        },
        "unknown_age_group",
    ),
    (
        10,
        {
            "breed_considerations": '{"collie": {"contraindicatedRoutes": ["IV", "BOGUS"], "maxReduction": 0.5}, '
            '"greyhound": {"multiplier": 0.9}, "beagle": {"maxReduction": 1.5}, "pug": "fragile"}'
        },
        "bad_breed_values",
    ),
    (
        11,
        {"contraindications": ["pregnancy", " Pregnancy ", "", None, "renal failure"]},
        "contraindication_elements",
    ),
    (12, {"contraindications": [], "species_adjustments": "{}"}, "empty_array_and_object"),
]
ALLERGENS = [
    "Chicken",
    "chicken (severe)",
    "Beef",
    "penicillin - mild",
    "Pollen",
    "flea saliva (moderate)",
    "",
    "   ",
    None,
    "Dust mites",
    "Chicken",
]
CONDITIONS = [
    "Arthritis",
    "arthritis",
    "Chronic kidney disease",
    "Diabetes mellitus",
    "",
    None,
    "Hypothyroidism",
]

# Values of vetmed_users.reminder_lead_time_minutes: integers, padded integers, and the ones that are not.
REMINDER_MINUTES = (
    ["15"] * 24 + ["30"] * 8 + ["60", "5", "10", " 45 ", "15 min", "", "abc", "-5", "99999999999", None]
)
WEEK_STARTS_ON = [0] * 12 + [1] * 6 + [6, 7, -1, None]
JSON_SHAPES = ["{}", "null", None, "object"]
#: The time series span 36 months from SERIES_START (2023-07 .. 2026-06): their history starts before the
#: first month the partitions used to start at (2024-01), as real histories do.
SERIES_START = datetime(2023, 7, 1, tzinfo=UTC)
SERIES_DAYS = 1096
#: Timestamps every time series gets on purpose (trap name -> moment): month boundaries in UTC, a moment
#: whose month differs in America/New_York (2025-03-01 03:00 UTC is Feb 28, 22:00 there), and rows far
#: outside any partition window.
TIME_TRAPS = {
    "at_utc_month_start": datetime(2025, 3, 1, tzinfo=UTC),
    "one_second_before_month": datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC),
    "month_differs_in_new_york": datetime(2025, 3, 1, 3, 0, tzinfo=UTC),
    "in_1999": datetime(1999, 6, 15, 12, 0, tzinfo=UTC),
    "in_2031": datetime(2031, 2, 1, 8, 30, tzinfo=UTC),
}


@dataclass
class LegacyData:
    """Rows per legacy table, each a dict keyed by column name, plus the ids of planted traps."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    traps: dict[str, list[str]] = field(default_factory=dict)
    #: What the messy data really means, for tests: e.g. truth["animal_vet"][animal id] = roster index.
    truth: dict[str, dict[str, int]] = field(default_factory=dict)

    def plant(self, trap: str, legacy_id: uuid.UUID) -> None:
        self.traps.setdefault(trap, []).append(str(legacy_id))

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Rows as tuples in the legacy column order (what COPY wants)."""
        names = [column.name for column in legacy_spec.columns(table)]
        for row in self.tables.get(table, []):
            unknown = set(row) - set(names)
            if unknown:
                raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
            yield tuple(row.get(name) for name in names)


class _Gen:
    def __init__(self, scale: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.data = LegacyData()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, days: float = 700) -> datetime:
        return EPOCH + timedelta(seconds=self.rng.randrange(int(days * 86400)))

    def series_moment(self) -> datetime:
        """A moment of the time series' history."""
        return SERIES_START + timedelta(seconds=self.rng.randrange(SERIES_DAYS * 86400))

    def pick(self, values: list[Any]) -> Any:
        return self.rng.choice(values)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def json_value(self, object_value: dict[str, Any]) -> str | None:
        shape = self.pick(JSON_SHAPES)
        if shape == "object":
            return json.dumps(object_value)
        return shape


def generate(scale: int = 2000, seed: int = 42) -> LegacyData:
    """All 14 tables for ``scale`` users (households about half of that, animals about one per user)."""
    if scale < 20:
        raise ValueError("scale must be at least 20 users, so that every trap fits")
    gen = _Gen(scale, seed)
    households = _households(gen)
    medications = _medications(gen)
    animals = _animals(gen, households)
    users = _users(gen, households, animals)
    _memberships(gen, users, households)
    items = _inventory(gen, households, medications, animals)
    regimens = _regimens(gen, animals, medications)
    administrations = _administrations(gen, regimens, animals, users, items)
    _cosign_requests(gen, administrations, users)
    _notifications(gen, users)
    _push_subscriptions(gen, users)
    _suggestions(gen, households, users)
    _audit_log(gen, users)
    _plant_hostile_values(gen)
    return gen.data


#: A catalog document nested deeper than Python's parser goes (it stays whole in the quarantine).
DEEP_DOCUMENT = '{"collie": {"notes": ' + "[" * 300 + "]" * 300 + "}}"


def _plant_hostile_values(gen: _Gen) -> None:
    """Values PostgreSQL accepts and nobody means, one each, named as traps: infinite and NaN values, text
    longer than an index entry holds, a vet name that names nobody, the JSON key "", a document nested 300
    levels deep. (Strings for the infinities: Python's datetime has none; COPY reads them as written.)"""
    tables = gen.data.tables
    animal = tables["vetmed_animals"][8]
    animal.update(
        {
            "allergies": ["Peanuts", "Peanut dust " * 300, "Grass (mild)"],
            "vet_name": "Dr.",
            "vet_phone": None,
            "vet_email": None,
            "clinic_name": None,
            "weight_kg": "NaN",  # a string, like the infinities: NaN equals nothing in Python
        }
    )
    gen.data.truth["animal_vet"].pop(str(animal["id"]), None)
    gen.data.plant("hostile_animal", animal["id"])
    for table, column, value, trap in (
        ("vetmed_administrations", "recorded_at", "infinity", "hostile_infinity"),
        ("vetmed_audit_log", "timestamp", "-infinity", "hostile_minus_infinity"),
        ("vetmed_notification_queue", "type", "reminder " * 400, "hostile_long_type"),
    ):
        row = tables[table][0]
        row[column] = value
        gen.data.plant(trap, row["id"])
    catalog = tables["vetmed_medication_catalog"][13]
    catalog["species_adjustments"] = '{"": {"multiplier": 1.1}, "dog": {"multiplier": 1.0}}'
    catalog["breed_considerations"] = DEEP_DOCUMENT
    gen.data.plant("hostile_documents", catalog["id"])


def _households(gen: _Gen) -> list[dict[str, Any]]:
    rows = []
    for index in range(max(2, gen.scale // 2)):
        created = gen.moment()
        rows.append(
            {
                "id": gen.uuid(),
                "name": f"{gen.pick(LAST_NAMES)} household"
                if index % 7
                else f"  {gen.pick(LAST_NAMES)} Family ",
                "timezone": gen.pick(TIMEZONES),
                "created_at": created,
                "updated_at": created + timedelta(days=gen.rng.randrange(30)),
            }
        )
    gen.data.tables["vetmed_households"] = rows
    return rows


def _medications(gen: _Gen) -> list[dict[str, Any]]:
    rows = []
    for generic, brand, strength, route, form, low, high, typical, hours in MEDICATIONS:
        created = gen.moment(60)
        rows.append(
            {
                "id": gen.uuid(),
                "generic_name": generic,
                "brand_name": brand,
                "strength": strength,
                "route": route,
                "form": form,
                "controlled_substance": generic in ("Buprenorphine", "Tramadol", "Diazepam", "Phenobarbital"),
                "common_dosing": f"{typical} mg/kg every {hours} h" if typical and hours else None,
                "warnings": gen.pick([None, "Give with food", "Monitor liver enzymes"]),
                "created_at": created,
                "updated_at": created,
                "dosage_min_mg_kg": low,
                "dosage_max_mg_kg": high,
                "dosage_typical_mg_kg": typical,
                "max_daily_dose_mg": None if high is None else round(high * 40, 2),
                "species_adjustments": gen.pick(SPECIES_DOCUMENTS),
                "route_adjustments": gen.pick(ROUTE_DOCUMENTS),
                "contraindications": gen.pick(
                    [
                        ["pregnancy", "renal failure"],
                        [],
                        None,
                        ["liver disease"],
                        ["MDR1 mutation", "seizure disorders"],
                    ]
                ),
                "age_adjustments": gen.pick(AGE_DOCUMENTS),
                "breed_considerations": gen.pick(BREED_DOCUMENTS),
                "concentration_mg_ml": gen.pick([None, 10.0, 50.0])
                if form in ("LIQUID", "INJECTION")
                else None,
                "units_per_tablet": 1 if form == "TABLET" else None,
                "unit_type": gen.pick(["mg", "mcg", "IU", None]),
                "typical_frequency_hours": hours,
                "max_frequency_per_day": None if hours is None else 24 // hours,
            }
        )
    for index, values, trap in MEDICATION_TRAPS:
        rows[index].update(values)
        gen.data.plant(trap, rows[index]["id"])
    gen.data.tables["vetmed_medication_catalog"] = rows
    return rows


CLINICS = [
    "Happy Paws Clinic",
    "Riverside Animal Hospital",
    "Clínica Veterinaria Sol",
    "Northside Vets",
    "Tierarztpraxis Müller",
    "Harbour Pet Care",
]


def _vet_roster(gen: _Gen) -> list[tuple[str, str, str, str]]:
    """Real veterinarians, each (name, 10 phone digits, email, clinic); the last fifth have a homonym
    (roster entries sharing a name are different people)."""
    roster: list[tuple[str, str, str, str]] = []
    names: set[str] = set()
    for index in range(max(3, gen.scale // 40)):
        name = f"{gen.pick(FIRST_NAMES)} {gen.pick(LAST_NAMES)}"
        if name in names:  # real people do share names; the roster must not, so tests know the truth
            name = f"{name} {index}"
        names.add(name)
        local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "vet"
        roster.append(
            (
                name,
                f"555{gen.rng.randrange(10**7):07d}",
                f"{local}.{index}@clinic.example.com",
                gen.pick(CLINICS),
            )
        )
    # Homonyms: another vet of the same name at another clinic, with their own phone and email (two
    # Dr. Smiths in one city). Their records must never merge with the first one's.
    for index in range(len(roster) - max(1, len(roster) // 5), len(roster)):
        name, _, _, clinic = roster[index]
        local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "vet"
        other_clinic = CLINICS[(CLINICS.index(clinic) + 1) % len(CLINICS)]
        roster.append(
            (name, f"555{gen.rng.randrange(10**7):07d}", f"{local}@homonym{index}.example.org", other_clinic)
        )
    return roster


def _write_vet(gen: _Gen, vet: tuple[str, str, str, str]) -> tuple[str | None, ...]:
    """One animal's copy of a vet's details, written the way people write them (and sometimes not at all)."""
    name, digits, email, clinic = vet
    first, _, last = name.partition(" ")
    phone = gen.pick(
        [
            f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            digits,
        ]
    )
    written = [
        gen.pick(
            [
                f"Dr. {name}",
                f"dr. {name.lower()} ",
                f"Dr {name}",
                name.upper(),
                f"  {name}  ",
                f"Dr.  {first}   {last}",
            ]
        ),
        phone,
        gen.pick([email, email.upper(), f" {email} ", email.capitalize()]),
        gen.pick([clinic, clinic.lower(), clinic.upper(), f" {clinic} "]),
    ]
    for index in range(4):
        if gen.chance(0.12):
            written[index] = gen.pick([None, None, None, "", "  "])
    return tuple(written)


def _animals(gen: _Gen, households: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    roster = _vet_roster(gen)
    truth = gen.data.truth.setdefault("animal_vet", {})
    for _ in range(gen.scale):
        species = gen.pick(SPECIES)
        created = gen.moment()
        animal_id = gen.uuid()
        vet_fields: tuple[str | None, ...] = (None, None, None, None)
        if gen.chance(0.6):
            vet_index = gen.rng.randrange(len(roster))
            vet_fields = _write_vet(gen, roster[vet_index])
            truth[str(animal_id)] = vet_index
        rows.append(
            {
                "id": animal_id,
                "household_id": gen.pick(households)["id"],
                "name": gen.pick(ANIMAL_NAMES),
                "species": species,
                "breed": gen.pick(BREEDS.get(species.lower(), [None])),
                "sex": gen.pick(["male", "female", "Male", "F", None]),
                "neutered": gen.chance(0.6),
                "dob": date(2010, 1, 1) + timedelta(days=gen.rng.randrange(5000))
                if gen.chance(0.8)
                else None,
                "weight_kg": round(gen.rng.uniform(0.1, 60), 2) if gen.chance(0.9) else None,
                "microchip_id": str(gen.rng.randrange(10**14, 10**15)) if gen.chance(0.5) else None,
                "color": gen.pick(["black", "tabby", "white", None]),
                "photo_url": None,
                "timezone": gen.pick(TIMEZONES),
                "vet_name": vet_fields[0],
                "vet_phone": vet_fields[1],
                "vet_email": vet_fields[2],
                "clinic_name": vet_fields[3],
                "allergies": gen.pick(
                    [None, [], *[[gen.pick(ALLERGENS) for _ in range(gen.rng.randrange(1, 5))]] * 3]
                ),
                "conditions": gen.pick(
                    [None, [], [gen.pick(CONDITIONS) for _ in range(gen.rng.randrange(1, 3))]]
                ),
                "notes": gen.pick([None, "", "Takes pills in cheese"]),
                "created_at": created,
                "updated_at": created,
                "deleted_at": created + timedelta(days=100) if gen.chance(0.05) else None,
            }
        )
    _plant_animal_traps(gen, rows, roster)
    gen.data.tables["vetmed_animals"] = rows
    return rows


def _plant_animal_traps(
    gen: _Gen, rows: list[dict[str, Any]], roster: list[tuple[str, str, str, str]]
) -> None:
    data, truth = gen.data, gen.data.truth["animal_vet"]
    name, digits, email, clinic = roster[0]
    planted: list[tuple[int, dict[str, Any], str]] = [
        (
            0,
            {
                "allergies": [
                    "Chicken (severe)",
                    "chicken",
                    "",
                    None,
                    "   ",
                    "penicillin - mild",
                    "Pollen: moderate",
                    "CHICKEN ",
                ],
                "conditions": ["Arthritis", "arthritis ", "", None, "Chronic kidney disease (severe)"],
            },
            "array_duplicates_blanks_nulls",
        ),
        (1, {"allergies": [], "conditions": []}, "empty_arrays"),
        (2, {"allergies": None, "conditions": None}, "null_arrays"),
        (
            3,
            {"vet_name": f"dr. {name.lower()}", "vet_phone": None, "vet_email": None, "clinic_name": None},
            "vet_name_only",
        ),
        (
            4,
            {"vet_name": None, "vet_phone": None, "vet_email": email.upper(), "clinic_name": None},
            "vet_email_only",
        ),
        (5, {"vet_name": "", "vet_phone": "  ", "vet_email": None, "clinic_name": " "}, "vet_blank_fields"),
        (
            6,
            {
                "vet_name": f"Dr. {name}",
                "vet_phone": f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
                "vet_email": email,
                "clinic_name": clinic,
            },
            "vet_full_record",
        ),
        (7, {"vet_name": None, "vet_phone": None, "vet_email": None, "clinic_name": None}, "no_vet_data"),
    ]
    for index, values, trap in planted:
        rows[index].update(values)
        data.plant(trap, rows[index]["id"])
    for index in (3, 4, 6):
        truth[str(rows[index]["id"])] = 0
    for index in (5, 7):
        truth.pop(str(rows[index]["id"]), None)


def _email(gen: _Gen, first: str, last: str, index: int) -> str:
    local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{local or 'user'}.{index}@{gen.pick(DOMAINS)}"


def _users(
    gen: _Gen, households: list[dict[str, Any]], animals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index in range(gen.scale):
        first, last = gen.pick(FIRST_NAMES), gen.pick(LAST_NAMES)
        created = gen.moment()
        user_id = gen.uuid()
        email = _email(gen, first, last, index)
        row: dict[str, Any] = {
            "id": user_id,
            "stack_user_id": f"stack_{gen.rng.getrandbits(48):012x}" if gen.chance(0.9) else None,
            "email": email,
            "name": gen.pick([f"{first} {last}", f"{first} {last}", None, "", "  "]),
            "image": gen.pick([None, f"https://img.example.com/{index}.png"]),
            "email_verified": created + timedelta(hours=1) if gen.chance(0.7) else None,
            "preferred_timezone": gen.pick([*TIMEZONES, None]),
            "preferred_phone_number": gen.pick([None, "+1 555 010 0199", "(555) 010-0188", ""]),
            "use_24_hour_time": gen.pick([True, False, None]),
            "temperature_unit": gen.pick(["celsius", "fahrenheit", None]),
            "weight_unit": gen.pick(["kg", "lbs", None]),
            "email_reminders": gen.pick([True, False, None]),
            "sms_reminders": gen.pick([True, False, None]),
            "push_notifications": gen.pick([True, False, None]),
            "reminder_lead_time_minutes": gen.pick(REMINDER_MINUTES),
            "emergency_contact_name": None,
            "emergency_contact_phone": None,
            "onboarding_complete": gen.pick([True, False, None]),
            "onboarding_completed_at": created + timedelta(days=1) if gen.chance(0.5) else None,
            "preferences_backup": gen.pick([None, None, "null", '{"theme": "dark", "weekStartsOn": 1}']),
            "created_at": created,
            "updated_at": created + timedelta(days=gen.rng.randrange(60)),
            "week_starts_on": gen.pick(WEEK_STARTS_ON),
            "default_household_id": gen.pick(households)["id"] if gen.chance(0.7) else None,
            "default_animal_id": gen.pick(animals)["id"] if gen.chance(0.4) else None,
            "theme": gen.pick(["system", "light", "dark", None, "Dark"]),
            "first_name": gen.pick([first, None, ""]),
            "last_name": gen.pick([last, None, " "]),
            "bio": gen.pick([None, "", "   ", "Dog person.", "Katzen & Hunde 🐾", "Line one\nline two\ttab"]),
            "pronouns": gen.pick(PRONOUNS),
            "location": gen.pick([None, "", "Berlin", "São Paulo"]),
            "website": gen.pick([None, "", "https://example.com/me"]),
            "social_links": gen.json_value(
                {"github": "octo", "custom": [{"label": "blog", "url": "https://x.example"}]}
            ),
            "profile_data": gen.json_value({"favoriteAnimal": "otter"}),
            "profile_visibility": gen.pick(
                [
                    '{"bio": true, "name": true, "email": false, "location": true}',
                    "{}",
                    "null",
                    None,
                    '{"bio": false, "name": true, "email": false, "social": true}',
                ]
            ),
            "profile_completed_at": created + timedelta(days=2) if gen.chance(0.3) else None,
        }
        _emergency_contact(gen, row)
        rows.append(row)
    _plant_user_traps(gen, rows)
    gen.data.tables["vetmed_users"] = rows
    return rows


def _emergency_contact(gen: _Gen, row: dict[str, Any]) -> None:
    shape = gen.pick(["none"] * 6 + ["both"] * 4 + ["name_only", "phone_only", "blank", "blank_name"])
    name = f"{gen.pick(FIRST_NAMES)} {gen.pick(LAST_NAMES)}"
    phone = gen.pick(["+1 555 0100 123", "(555) 987-6543", "555.222.3333"])
    row["emergency_contact_name"], row["emergency_contact_phone"] = {
        "none": (None, None),
        "both": (name, phone),
        "name_only": (name, None),
        "phone_only": (None, phone),
        "blank": ("   ", "\t"),
        "blank_name": ("", phone),
    }[shape]


def _plant_user_traps(gen: _Gen, rows: list[dict[str, Any]]) -> None:
    """Make sure every user-domain trap exists at least once, whatever the random draw gave."""
    data = gen.data
    # Two users whose emails differ only by case, and one with stray spaces around a third's address.
    rows[1]["email"] = rows[0]["email"].upper()
    rows[2]["email"] = f"  {rows[0]['email']} "
    for row in rows[:3]:
        data.plant("email_case_or_space_duplicate", row["id"])
    rows[3]["name"], rows[3]["first_name"], rows[3]["last_name"] = (
        "Zoë Ñúñez-Łukasiewicz",
        "Zoë",
        "Ñúñez-Łukasiewicz",
    )
    rows[4]["name"], rows[4]["first_name"], rows[4]["last_name"] = "王小明", "小明", "王"
    data.plant("unicode_name", rows[3]["id"])
    data.plant("unicode_name", rows[4]["id"])
    fixed: list[tuple[int, dict[str, Any], str]] = [
        (5, {"bio": None, "pronouns": None, "location": None}, "null_profile_fields"),
        (6, {"bio": "", "pronouns": "", "location": "   "}, "blank_profile_fields"),
        (7, {"social_links": "{}", "profile_data": "{}"}, "json_empty_object"),
        (8, {"social_links": "null", "profile_data": "null", "profile_visibility": "null"}, "json_null"),
        (9, {"social_links": None, "profile_data": None}, "sql_null_json"),
        (10, {"reminder_lead_time_minutes": "15 min"}, "reminder_minutes_with_unit"),
        (11, {"reminder_lead_time_minutes": ""}, "reminder_minutes_blank"),
        (12, {"reminder_lead_time_minutes": " 45 "}, "reminder_minutes_padded"),
        (13, {"week_starts_on": 7}, "week_starts_on_out_of_range"),
        (14, {"week_starts_on": -1}, "week_starts_on_out_of_range"),
        (
            15,
            {"emergency_contact_name": "Robin Example", "emergency_contact_phone": None},
            "contact_name_only",
        ),
        (
            16,
            {"emergency_contact_name": None, "emergency_contact_phone": "(555) 987-6543"},
            "contact_phone_only",
        ),
        (17, {"emergency_contact_name": "  ", "emergency_contact_phone": " "}, "contact_whitespace_only"),
        (
            18,
            {"emergency_contact_name": "Kim Example", "emergency_contact_phone": "555.222.3333"},
            "contact_both",
        ),
    ]
    for index, values, trap in fixed:
        rows[index].update(values)
        data.plant(trap, rows[index]["id"])


def _memberships(gen: _Gen, users: list[dict[str, Any]], households: list[dict[str, Any]]) -> None:
    rows: list[dict[str, Any]] = []
    for index, user in enumerate(users):
        if index == 19:
            roles = ["CAREGIVER", "VETREADONLY", "OWNER"]
            gen.data.plant("several_membership_roles", user["id"])
        elif index == 18 or gen.chance(0.08):
            roles = []
            gen.data.plant("no_membership", user["id"])
        else:
            count = gen.pick([1, 1, 1, 2, 2, 3])
            roles = [
                gen.pick(["OWNER", "OWNER", "CAREGIVER", "CAREGIVER", "VETREADONLY"]) for _ in range(count)
            ]
            if len(set(roles)) > 1:
                gen.data.plant("several_membership_roles", user["id"])
        chosen = gen.rng.sample(households, k=min(len(roles), len(households)))
        for role, household in zip(roles, chosen, strict=False):
            created = max(user["created_at"], household["created_at"]) + timedelta(
                hours=gen.rng.randrange(72)
            )
            rows.append(
                {
                    "id": gen.uuid(),
                    "user_id": user["id"],
                    "household_id": household["id"],
                    "role": role,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    gen.data.tables["vetmed_memberships"] = rows


def _inventory(
    gen: _Gen,
    households: list[dict[str, Any]],
    medications: list[dict[str, Any]],
    animals: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    rows = []
    for household in households:
        for _ in range(gen.rng.randrange(0, 3)):
            created = gen.moment()
            quantity = gen.pick([30, 60, 100, None])
            rows.append(
                {
                    "id": gen.uuid(),
                    "household_id": household["id"],
                    "medication_id": gen.pick(medications)["id"],
                    "assigned_animal_id": gen.pick(animals)["id"] if gen.chance(0.5) else None,
                    "brand_override": None,
                    "concentration": gen.pick([None, "10 mg/mL"]),
                    "lot": f"L{gen.rng.randrange(10000):04d}",
                    "expires_on": date(2025, 1, 1) + timedelta(days=gen.rng.randrange(900)),
                    "storage": gen.pick(["ROOM", "FRIDGE", "FREEZER", "CONTROLLED"]),
                    "quantity_units": quantity,
                    "units_remaining": None if quantity is None else gen.rng.randrange(quantity + 1),
                    "unit_type": gen.pick(["tablet", "mL", None]),
                    "opened_on": None,
                    "in_use": gen.chance(0.5),
                    "barcode": None,
                    "purchase_date": None,
                    "purchase_price": gen.pick([None, 19.99, 42.5]),
                    "supplier": None,
                    "notes": None,
                    "created_at": created,
                    "updated_at": created,
                    "deleted_at": None,
                }
            )
    gen.data.tables["vetmed_inventory_items"] = rows
    return rows


def _regimens(
    gen: _Gen, animals: list[dict[str, Any]], medications: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows = []
    for animal in animals:
        for _ in range(gen.pick([0, 0, 1, 1, 2])):
            schedule = gen.pick(["FIXED", "FIXED", "PRN", "INTERVAL", "TAPER"])
            created = gen.moment(400)
            rows.append(
                {
                    "id": gen.uuid(),
                    "animal_id": animal["id"],
                    "medication_id": gen.pick(medications)["id"],
                    "name": gen.pick([None, "Morning pill"]),
                    "instructions": gen.pick([None, "With food"]),
                    "schedule_type": schedule,
                    "times_local": [time(8, 0), time(20, 0)] if schedule == "FIXED" else None,
                    "interval_hours": 12 if schedule == "INTERVAL" else None,
                    "start_date": created.date(),
                    "end_date": None,
                    "prn_reason": "pain" if schedule == "PRN" else None,
                    "max_daily_doses": gen.pick([None, 2]),
                    "cutoff_minutes": 240,
                    "high_risk": gen.chance(0.1),
                    "requires_co_sign": gen.chance(0.1),
                    "active": gen.chance(0.8),
                    "paused_at": None,
                    "pause_reason": None,
                    "dose": gen.pick(["1 tablet", "0.5 mL", None]),
                    "route": gen.pick(["ORAL", "PO", "oral", None]),
                    "created_at": created,
                    "updated_at": created,
                    "deleted_at": None,
                }
            )
    gen.data.tables["vetmed_regimens"] = rows
    return rows


def _administrations(
    gen: _Gen,
    regimens: list[dict[str, Any]],
    animals: list[dict[str, Any]],
    users: list[dict[str, Any]],
    items: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    households_of = {animal["id"]: animal["household_id"] for animal in animals}
    rows = []
    for regimen in regimens:
        for _ in range(gen.rng.randrange(0, 6)):
            recorded = gen.series_moment()
            rows.append(
                {
                    "id": gen.uuid(),
                    "regimen_id": regimen["id"],
                    "animal_id": regimen["animal_id"],
                    "household_id": households_of[regimen["animal_id"]],
                    "caregiver_id": gen.pick(users)["id"],
                    "scheduled_for": recorded - timedelta(minutes=gen.rng.randrange(120))
                    if gen.chance(0.8)
                    else None,
                    "recorded_at": recorded,
                    "status": gen.pick(["ON_TIME", "ON_TIME", "LATE", "VERY_LATE", "MISSED", "PRN"]),
                    "source_item_id": gen.pick(items)["id"] if items and gen.chance(0.3) else None,
                    "site": None,
                    "dose": regimen["dose"],
                    "notes": gen.pick([None, "ate it"]),
                    "media_urls": gen.pick([None, [], ["https://img.example.com/a.jpg"]]),
                    "co_sign_user_id": None,
                    "co_signed_at": None,
                    "co_sign_notes": None,
                    "adverse_event": gen.chance(0.02),
                    "adverse_event_description": None,
                    "idempotency_key": f"adm-{gen.rng.getrandbits(64):016x}",
                    "created_at": recorded,
                    "updated_at": recorded,
                }
            )
    _plant_times(gen, "administrations", rows, "recorded_at", also=("created_at", "updated_at"))
    gen.data.tables["vetmed_administrations"] = rows
    return rows


def _plant_times(
    gen: _Gen, series: str, rows: list[dict[str, Any]], column: str, also: tuple[str, ...] = ()
) -> None:
    """Give the last rows of a time series the TIME_TRAPS moments (two rows each), named as traps."""
    index = 0
    for trap, moment in TIME_TRAPS.items():
        for _ in range(2):
            if index >= len(rows):
                return
            row = rows[-1 - index]
            row[column] = moment
            for other in also:
                row[other] = moment
            if "scheduled_for" in row and row["scheduled_for"] is not None and series == "administrations":
                row["scheduled_for"] = moment - timedelta(minutes=30)
            gen.data.plant(f"{series}_{trap}", row["id"])
            index += 1


def _cosign_requests(gen: _Gen, administrations: list[dict[str, Any]], users: list[dict[str, Any]]) -> None:
    rows = []
    far = set(
        gen.data.traps.get("administrations_in_1999", []) + gen.data.traps.get("administrations_in_2031", [])
    )
    for administration in administrations:
        if gen.chance(0.05) or str(administration["id"]) in far:
            created = administration["recorded_at"]
            rows.append(
                {
                    "id": gen.uuid(),
                    "administration_id": administration["id"],
                    "requester_id": administration["caregiver_id"],
                    "cosigner_id": gen.pick(users)["id"],
                    "household_id": administration["household_id"],
                    "status": gen.pick(["pending", "approved", "rejected", "expired"]),
                    "signature": None,
                    "rejection_reason": None,
                    "signed_at": None,
                    "created_at": created,
                    "expires_at": created + timedelta(hours=24),
                    "updated_at": created,
                }
            )
            if str(administration["id"]) in far:
                gen.data.plant("cosign_request_of_far_administration", rows[-1]["id"])
    gen.data.tables["vetmed_cosign_requests"] = rows


def _household_of_user(gen: _Gen, user: dict[str, Any]) -> uuid.UUID:
    households = gen.data.tables["vetmed_households"]
    return user["default_household_id"] or households[user["id"].int % len(households)]["id"]


def _notifications(gen: _Gen, users: list[dict[str, Any]]) -> None:
    in_app: list[dict[str, Any]] = []
    queue: list[dict[str, Any]] = []
    _notification_states(gen, users, in_app, queue)
    for user in users:
        household = _household_of_user(gen, user)
        for _ in range(gen.rng.randrange(0, 3)):
            created = gen.series_moment()
            read = gen.chance(0.5)
            in_app.append(
                _in_app(
                    gen,
                    user,
                    household,
                    created,
                    read=read,
                    read_at=created + timedelta(minutes=5) if read else None,
                    dismissed=gen.chance(0.2),
                    dismissed_at=None,
                )
            )
        for _ in range(gen.rng.randrange(0, 2)):
            created = gen.series_moment()
            sent = gen.chance(0.6)
            queue.append(
                _queued(
                    gen,
                    user,
                    household,
                    created,
                    sent_at=created + timedelta(hours=1) if sent else None,
                    failed_at=created + timedelta(hours=1) if not sent and gen.chance(0.2) else None,
                )
            )
    _plant_times(gen, "notifications", in_app, "created_at")
    _plant_times(gen, "notification_queue", queue, "created_at")
    gen.data.tables["vetmed_notifications"] = in_app
    gen.data.tables["vetmed_notification_queue"] = queue


def _in_app(
    gen: _Gen, user: dict[str, Any], household: uuid.UUID, created: datetime, **state: Any
) -> dict[str, Any]:
    return {
        "id": gen.uuid(),
        "user_id": user["id"],
        "household_id": household,
        "type": gen.pick(["medication", "inventory", "system", "due", "overdue", "reminder"]),
        "title": "Dose due",
        "message": "A dose is due soon",
        "priority": gen.pick(["low", "medium", "high", "critical"]),
        "action_url": gen.pick([None, "/animals", "/regimens/today"]),
        "data": gen.pick([None, "{}", "null", '{"animalId": "x", "regimenId": "y"}']),
        "created_at": created,
        **state,
    }


def _queued(
    gen: _Gen, user: dict[str, Any], household: uuid.UUID, created: datetime, **state: Any
) -> dict[str, Any]:
    row = {
        "id": gen.uuid(),
        "user_id": user["id"],
        "household_id": household,
        "type": "reminder",
        "title": "Reminder",
        "body": "Medication reminder",
        "data": gen.pick([None, "{}", '{"regimenId": "y"}']),
        "scheduled_for": created + timedelta(hours=1),
        "sent_at": None,
        "failed_at": None,
        "error": None,
        "attempts": 0,
        "read_at": None,
        "dismissed_at": None,
        "snoozed_until": None,
        "created_at": created,
    }
    row.update(state)
    if row["failed_at"] is not None and row["error"] is None:
        row["error"] = "push endpoint gone (410)"
    row["attempts"] = int(row["sent_at"] is not None) + int(row["failed_at"] is not None)
    return row


def _notification_states(
    gen: _Gen, users: list[dict[str, Any]], in_app: list[dict[str, Any]], queue: list[dict[str, Any]]
) -> None:
    """Every combination of the legacy flags and timestamps, in both tables, planted as traps."""
    user = users[0]
    household = _household_of_user(gen, user)
    base = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
    later = timedelta(minutes=10)
    for read in (False, True):
        for read_at in (None, base + later):
            for dismissed in (False, True):
                for dismissed_at in (None, base + 2 * later):
                    in_app.append(
                        _in_app(
                            gen,
                            user,
                            household,
                            base,
                            read=read,
                            read_at=read_at,
                            dismissed=dismissed,
                            dismissed_at=dismissed_at,
                        )
                    )
                    gen.data.plant("notification_state_combination", in_app[-1]["id"])
    sent_times = (None, base + later)
    failed_offsets = (None, timedelta(minutes=5), timedelta(minutes=20))  # before / after the send
    for sent_at in sent_times:
        for failed in failed_offsets:
            for read_at in (None, base + 3 * later):
                for dismissed_at in (None, base + 4 * later):
                    for snoozed in (None, base + timedelta(days=1)):
                        queue.append(
                            _queued(
                                gen,
                                user,
                                household,
                                base,
                                sent_at=sent_at,
                                failed_at=None if failed is None else base + failed,
                                read_at=read_at,
                                dismissed_at=dismissed_at,
                                snoozed_until=snoozed,
                            )
                        )
                        gen.data.plant("queue_state_combination", queue[-1]["id"])
    # Created after any snapshot (status draft), in both tables.
    future = datetime(2031, 5, 1, tzinfo=UTC)
    in_app.append(
        _in_app(gen, user, household, future, read=False, read_at=None, dismissed=False, dismissed_at=None)
    )
    gen.data.plant("notification_created_in_future", in_app[-1]["id"])
    queue.append(_queued(gen, user, household, future))
    gen.data.plant("notification_created_in_future", queue[-1]["id"])


def _push_subscriptions(gen: _Gen, users: list[dict[str, Any]]) -> None:
    rows = []
    for index, user in enumerate(users):
        if gen.chance(0.3):
            created = gen.moment()
            rows.append(
                {
                    "id": gen.uuid(),
                    "user_id": user["id"],
                    "endpoint": f"https://push.example.com/{index}",
                    "p256dh_key": f"p256-{gen.rng.getrandbits(64):x}",
                    "auth_key": f"auth-{gen.rng.getrandbits(32):x}",
                    "user_agent": gen.pick([None, "Mozilla/5.0"]),
                    "device_name": gen.pick([None, "Phone"]),
                    "is_active": gen.chance(0.8),
                    "last_used": created,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    gen.data.tables["vetmed_push_subscriptions"] = rows


def _suggestions(gen: _Gen, households: list[dict[str, Any]], users: list[dict[str, Any]]) -> None:
    rows = []
    for household in households:
        if gen.chance(0.4):
            created = gen.moment()
            status = gen.pick(["pending", "applied", "reverted", "dismissed"])
            rows.append(
                {
                    "id": gen.uuid(),
                    "household_id": household["id"],
                    "type": gen.pick(["ADD_REMINDER", "SHIFT_TIME", "ENABLE_COSIGN"]),
                    "summary": "Shift the evening dose",
                    "rationale": "Doses are often late",
                    "priority": gen.pick(["low", "medium", "high"]),
                    "estimated_impact": None,
                    "status": status,
                    "action": '{"shiftMinutes": 30}',
                    "original_values": gen.pick([None, '{"time": "20:00"}']),
                    "applied_at": created if status == "applied" else None,
                    "applied_by_user_id": gen.pick(users)["id"] if status == "applied" else None,
                    "reverted_at": None,
                    "reverted_by_user_id": None,
                    "dismissed_at": None,
                    "dismissed_by_user_id": None,
                    "expires_at": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    gen.data.tables["vetmed_suggestions"] = rows


AUDIT_VALUES = [
    None,
    "null",
    "{}",
    '{"weight_kg": 4.2}',
    '{"name": "Pépé", "allergies": ["Chicken (severe)", "Beef"], "vet": {"clinic": null}}',
    '{"times_local": ["08:00", "20:00"], "active": true, "dose": 1.5}',
    '"plain string"',
    "[1, 2, 3]",
]


def _audit_log(gen: _Gen, users: list[dict[str, Any]]) -> None:
    rows = []
    for user in users:
        for _ in range(gen.rng.randrange(0, 3)):
            rows.append(
                {
                    "id": gen.uuid(),
                    "user_id": user["id"],
                    "household_id": _household_of_user(gen, user),
                    "action": gen.pick(["update", "create", "delete"]),
                    "resource_type": gen.pick(["animal", "regimen", "inventory_item"]),
                    "resource_id": gen.uuid() if gen.chance(0.8) else None,
                    "old_values": gen.pick(AUDIT_VALUES),
                    "new_values": gen.pick(AUDIT_VALUES),
                    "details": gen.pick(
                        [None, '{"source": "web"}', '{"source": "mobile", "version": "2.3.1"}']
                    ),
                    "ip_address": gen.pick([None, "192.0.2.10", "2001:db8::1"]),
                    "user_agent": gen.pick([None, "Mozilla/5.0"]),
                    "session_id": gen.pick([None, f"s-{gen.rng.getrandbits(32):08x}"]),
                    "timestamp": gen.series_moment(),
                }
            )
    _plant_times(gen, "audit_log", rows, "timestamp")
    gen.data.tables["vetmed_audit_log"] = rows
