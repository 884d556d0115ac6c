"""A few hundred short sentences per language, generated from templates, for training the
tokenizers of tiny test models offline. The sentences only need realistic characters and
word shapes (accents, Cyrillic, capitalised names); their meaning is irrelevant.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

_LEXICON: dict[str, tuple[list[str], list[str], list[str]]] = {
    "en": (["The government", "The minister", "NATO", "Russia", "Ukraine", "The United States",
            "The European Union", "China", "North Korea", "Israel", "The president", "Analysts"],
           ["criticised", "supported", "discussed", "rejected", "welcomed", "condemned"],
           ["the new sanctions.", "the peace talks in Geneva.", "the military agreement.",
            "the decision of the summit.", "the attack on the border.", "the trade deal with Beijing."]),
    "it": (["Il governo", "Il ministro", "La NATO", "La Russia", "L'Ucraina", "Gli Stati Uniti",
            "L'Unione europea", "La Cina", "La Corea del Nord", "Israele", "Il presidente", "Gli analisti"],
           ["ha criticato", "ha sostenuto", "ha discusso", "ha respinto", "ha accolto", "ha condannato"],
           ["le nuove sanzioni.", "i colloqui di pace a Ginevra.", "l'accordo militare.",
            "la decisione del vertice.", "l'attacco al confine.", "l'intesa commerciale con Pechino."]),
    "fr": (["Le gouvernement", "Le ministre", "L'OTAN", "La Russie", "L'Ukraine", "Les États-Unis",
            "L'Union européenne", "La Chine", "La Corée du Nord", "Israël", "Le président", "Les analystes"],
           ["a critiqué", "a soutenu", "a discuté", "a rejeté", "a salué", "a condamné"],
           ["les nouvelles sanctions.", "les pourparlers de paix à Genève.", "l'accord militaire.",
            "la décision du sommet.", "l'attaque à la frontière.", "l'accord commercial avec Pékin."]),
    "de": (["Die Regierung", "Der Minister", "Die NATO", "Russland", "Die Ukraine", "Die Vereinigten Staaten",
            "Die Europäische Union", "China", "Nordkorea", "Israel", "Der Präsident", "Die Analysten"],
           ["kritisierte", "unterstützte", "besprach", "lehnte", "begrüßte", "verurteilte"],
           ["die neuen Sanktionen.", "die Friedensgespräche in Genf.", "das Militärabkommen.",
            "die Entscheidung des Gipfels.", "den Angriff an der Grenze.", "das Handelsabkommen mit Peking."]),
    "es": (["El gobierno", "El ministro", "La OTAN", "Rusia", "Ucrania", "Estados Unidos",
            "La Unión Europea", "China", "Corea del Norte", "Israel", "El presidente", "Los analistas"],
           ["criticó", "apoyó", "discutió", "rechazó", "celebró", "condenó"],
           ["las nuevas sanciones.", "las conversaciones de paz en Ginebra.", "el acuerdo militar.",
            "la decisión de la cumbre.", "el ataque en la frontera.", "el acuerdo comercial con Pekín."]),
    "ru": (["Правительство", "Министр", "НАТО", "Россия", "Украина", "Соединённые Штаты",
            "Европейский союз", "Китай", "Северная Корея", "Израиль", "Президент", "Аналитики"],
           ["раскритиковал", "поддержал", "обсудил", "отверг", "приветствовал", "осудил"],
           ["новые санкции.", "мирные переговоры в Женеве.", "военное соглашение.",
            "решение саммита.", "нападение на границе.", "торговую сделку с Пекином."]),
    "uk": (["Уряд", "Міністр", "НАТО", "Росія", "Україна", "Сполучені Штати",
            "Європейський союз", "Китай", "Північна Корея", "Ізраїль", "Президент", "Аналітики"],
           ["розкритикував", "підтримав", "обговорив", "відхилив", "привітав", "засудив"],
           ["нові санкції.", "мирні переговори в Женеві.", "військову угоду.",
            "рішення саміту.", "напад на кордоні.", "торговельну угоду з Пекіном."]),
    "nl": (["De regering", "De minister", "De NAVO", "Rusland", "Oekraïne", "De Verenigde Staten",
            "De Europese Unie", "China", "Noord-Korea", "Israël", "De president", "Analisten"],
           ["bekritiseerde", "steunde", "besprak", "verwierp", "verwelkomde", "veroordeelde"],
           ["de nieuwe sancties.", "de vredesbesprekingen in Genève.", "het militaire akkoord.",
            "het besluit van de top.", "de aanval aan de grens.", "de handelsdeal met Peking."]),
    "pl": (["Rząd", "Minister", "NATO", "Rosja", "Ukraina", "Stany Zjednoczone",
            "Unia Europejska", "Chiny", "Korea Północna", "Izrael", "Prezydent", "Analitycy"],
           ["skrytykował", "poparł", "omówił", "odrzucił", "powitał", "potępił"],
           ["nowe sankcje.", "rozmowy pokojowe w Genewie.", "porozumienie wojskowe.",
            "decyzję szczytu.", "atak na granicy.", "umowę handlową z Pekinem."]),
}

LANGUAGES: tuple[str, ...] = tuple(_LEXICON)


def corpus_sentences(langs: Iterable[str] | None = None, per_language: int = 300) -> list[str]:
    """Up to `per_language` template sentences for each language asked for (all by default)."""
    chosen = list(langs) if langs is not None else list(LANGUAGES)
    out: list[str] = []
    for lang in chosen:
        subjects, verbs, objects = _LEXICON.get(lang, _LEXICON["en"])
        combos = itertools.product(subjects, verbs, objects)
        out.extend(f"{s} {v} {o}" for s, v, o in itertools.islice(combos, per_language))
    return out
