"""Abbreviation lists the sentence splitter consults, per language.

Entries are lowercase, without the final period; parts of a spaced or dotted abbreviation
are joined by single periods ("z. B." and "z.B." are both "z.b"). Two kinds:

- `TITLES`: abbreviations that a sentence practically never ends on (titles, "z. B.",
  "т. е."); a period after them never ends a sentence.
- `OTHERS`: abbreviations that often do end a sentence ("etc.", "usw.", "т. д."); a period
  after them ends the sentence only when the next word starts with a capital.

A period after any abbreviation followed by a digit ("No. 5", "ca. 300") never splits.
"""

from __future__ import annotations

from functools import lru_cache

from newslens.text.lang_tags import primary_language


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_EN_TITLES = _words("""
    mr mrs ms messrs dr prof rev hon gen sen rep gov lt col capt cpt sgt maj adm cmdr
    pres supt st mt ft jan feb mar apr jun jul aug sep sept oct nov dec vs e.g i.e
    u.s u.k u.n e.u cf approx dept est fr sr.fr msgr rt ave blvd sts ext drs p.s ps
    govt atty supt univ pvt
""")
_EN_OTHERS = _words("""
    etc no nos jr sr inc ltd co corp bros a.m p.m al fig figs vol pp ed eds ch
""")

_IT_TITLES = _words("""
    sig sigg sig.ra sig.na dott dott.ssa prof prof.ssa avv ing on sen gen col magg ten
    geom arch rag mons p.es es cfr gen feb mar apr mag giu lug ago set ott nov dic
""")
_IT_OTHERS = _words("ecc pag pagg art nn vol cap ca tel")
_IT_TITLES = _IT_TITLES | _words("distr sez cit fig tab vd ill cfr dr")

_FR_TITLES = _words("""
    mm mme mmes mlle mlles dr pr me mgr ste st p.ex c.-à-d c.à.d cf env av bd
    janv févr avr juil sept oct nov déc
""")
_FR_OTHERS = _words("etc art chap pp vol éd")

_DE_TITLES = _words("""
    dr prof hr fr frl bzw ca nr z.b d.h u.a u.u vgl evtl ggf inkl sog str geb gest abs
    bspw ehem gem lt max min mio mrd tsd jh jhd zzt zz o.g s.o s.u u.ä v.a i.d.r
    jan feb mär apr jun jul aug sep sept okt nov dez
""")
_DE_OTHERS = _words("usw etc u.ä.m std")
_DE_TITLES = _DE_TITLES | _words("st hrsg")

_ES_TITLES = _words("""
    sr sra srta sres sras dr dra lic ing arq dña ud uds vd vds excmo excma ilmo sto sta
    gral p.ej ee núm pág art cap
""")
_ES_OTHERS = _words("etc ee.uu aprox a.c d.c vol no hab")

_PT_TITLES = _words("sr sra srta dr dra prof eng p.ex n.º nº pág art tel")
_PT_OTHERS = _words("etc a.c d.c vol")

_RU_TITLES = _words("""
    т.е т.к т.н т.ч т.о им ул пр просп пл пер наб проф акад ген доц см напр рис стр
    ст тел
""")
_RU_OTHERS = _words("т.д т.п др млн млрд тыс руб долл коп вв чел")
_RU_TITLES = _RU_TITLES | _words("ок род ум букв гл зам обл пос дер стр рис п ч")

_UK_TITLES = _words("""
    т.зв т.ч т.б ім вул просп пл пров наб проф акад ген доц див напр рис стор ст тел
    грец лат англ нім франц
""")
_UK_OTHERS = _words("т.д т.ін ін млн млрд тис грн коп дол")
_UK_TITLES = _UK_TITLES | _words("мал рис табл обл смт с.м вид п ч")

_PL_TITLES = _words("""
    np tzw m.in tj tzn ul prof dr inż mgr godz ok nr św pl al gen płk ppłk kpt por mjr
    mec adw red ks abp bp im art ust pkt lit par rozdz proc nadkom kom podinsp insp
    proj dyr prez min woj pow gm rys tab zob wg dot jw poz sygn oprac ds ok ew
    zach wsch płd płn paraf
""")
_PL_OTHERS = _words("itd itp mln mld tys zł")

_BG_TITLES = _RU_TITLES | _words("""
    чл ал гр св полк ген изд гл серж кап подп д-р инж бул кв жк т.нар вж с.р проф доц
""")
_BG_OTHERS = _RU_OTHERS | _words("лв хил ч")

# Hindi ends sentences with the danda; a period marks abbreviations and initials.
_HI_TITLES = _words("डॉ प्रो श्री श्रीमती सुश्री")
_HI_OTHERS = _words("")
# The names of the Latin letters as Hindi writes them: initials and dotted acronyms.
DEVANAGARI_LETTER_NAMES = _words("""
    ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई
    जेड ज़ेड ज़ी
""")

_NL_TITLES = _words("dhr mevr mw dr prof bv d.w.z o.a nr blz ca")
_NL_OTHERS = _words("enz etc")

_EL_TITLES = _words("κ π.χ δηλ βλ αρ")
_EL_OTHERS = _words("κλπ κ.λπ εκ δισ")

TITLES: dict[str, frozenset[str]] = {
    "en": _EN_TITLES, "it": _IT_TITLES, "fr": _FR_TITLES, "de": _DE_TITLES,
    "es": _ES_TITLES, "pt": _PT_TITLES, "ru": _RU_TITLES, "uk": _UK_TITLES,
    "be": _RU_TITLES, "bg": _BG_TITLES, "pl": _PL_TITLES, "nl": _NL_TITLES,
    "el": _EL_TITLES, "hi": _HI_TITLES,
}
OTHERS: dict[str, frozenset[str]] = {
    "en": _EN_OTHERS, "it": _IT_OTHERS, "fr": _FR_OTHERS, "de": _DE_OTHERS,
    "es": _ES_OTHERS, "pt": _PT_OTHERS, "ru": _RU_OTHERS, "uk": _UK_OTHERS,
    "be": _RU_OTHERS, "bg": _BG_OTHERS, "pl": _PL_OTHERS, "nl": _NL_OTHERS,
    "el": _EL_OTHERS, "hi": _HI_OTHERS,
}

# Titles in one language that are ordinary words in another ("on", "me", "es"); with no
# language given they count only as "others".
_AMBIGUOUS = _words("""
    on me es pr st ca mar ee gen sen pl al ok min max lt mag set fr im art par por ps ds
    ew no kom pos ч п с.р
""")

# Every language's lists apply to a text whose language is unknown (with the caveat above)
# and, for the common titles, to a known language too: quoted English in an Italian article.
COMMON_TITLES: frozenset[str] = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "e.g", "i.e", "u.s", "u.k", "u.n", "z.b", "st"})
UNKNOWN_TITLES: frozenset[str] = frozenset().union(*TITLES.values()) - _AMBIGUOUS
UNKNOWN_OTHERS: frozenset[str] = (
    frozenset().union(*OTHERS.values()) | frozenset().union(*TITLES.values())
) - UNKNOWN_TITLES

# Every abbreviation of every language: a word in here is not an ordinary word that may end
# a sentence before a lowercase one.
ALL_ABBREVIATIONS: frozenset[str] = (
    frozenset().union(*TITLES.values()) | frozenset().union(*OTHERS.values()))

# Units written with a period after a number ("5 min.", "40 см.", "8,10 ч."): there the
# period ends a sentence before a capital, whatever the language's lists say.
UNITS: frozenset[str] = _words("""
    min sek godz km cm mm kg ml std tys h pkt
    мин сек ч см мм км кг мл т л м
""")

# Conjunctions that continue a sentence after "?" or "…" in scripts without letter case,
# where a lowercase next word cannot tell it.
CONTINUATIONS: dict[str, frozenset[str]] = {
    "hi": _words("या और जबकि कि तथा एवं अथवा"),
}

# Magnitude words between a number and its unit ("11 млн т.", "2 mln zł.").
MAGNITUDES: frozenset[str] = _words("тыс тис млн млрд тыс. млн. млрд. tys mln mld mln. mld.")

# Before a number, "г." / "р." mark a year ("2024 г."), which may end a sentence; elsewhere
# they abbreviate "city" ("г. Москва") and never do.
YEAR_MARKERS: frozenset[str] = _words("г гг р рр r w")

# Languages that write ordinals as a number with a period ("9. Mai", "19. Jahrhundert").
ORDINAL_DOT_LANGS: frozenset[str] = _words(
    "de da no nb nn fi cs sk pl hu sl hr sr bs et lv lt is tr")

# Month names after which "9." is a day, used when the language is unknown.
MONTHS: frozenset[str] = _words("""
    januar jänner februar märz april mai juni juli august september oktober november
    dezember stycznia lutego marca kwietnia maja czerwca lipca sierpnia września
    października listopada grudnia ledna února března dubna května června července srpna
    září října listopadu prosince
""")


@lru_cache(maxsize=64)
def lookup(lang: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(titles, others) for `lang`; the union of all languages when it is unknown."""
    base = primary_language(lang)
    if base is None:
        return UNKNOWN_TITLES, UNKNOWN_OTHERS
    titles = TITLES.get(base)
    if titles is None:
        return UNKNOWN_TITLES, UNKNOWN_OTHERS
    return titles | COMMON_TITLES, OTHERS.get(base, frozenset())
