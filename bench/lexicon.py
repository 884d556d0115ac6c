"""Phrase lists per language for the synthetic news corpus of the benchmark.

Each language has sentence parts (subjects, verbs, objects, adverbial tails, clause
connectors) written as real phrases, so language ID, sentence splitting and tokenizers see
text shaped like news; and, per stance target of `data/targets.yaml`, subject phrases that
its aliases match. `{n}` in a tail becomes a number. Nothing here names a target by accident.
"""

from __future__ import annotations

Lexicon = dict[str, object]

IT: Lexicon = {
    "subj": ["il governo", "il ministro degli Esteri", "la portavoce del ministero",
             "il presidente del Consiglio",
             "un alto funzionario", "gli analisti", "il parlamento", "la delegazione",
             "il comandante delle forze armate", "l'opposizione", "gli osservatori internazionali",
             "il sindaco della capitale", "la banca centrale", "i diplomatici",
             "un portavoce dell'esercito"],
    "verb": ["ha criticato", "ha sostenuto", "ha discusso", "ha respinto", "ha accolto con favore",
             "ha condannato", "ha annunciato", "ha chiesto", "ha definito inaccettabile",
             "ha approvato", "ha messo in dubbio", "ha rinviato"],
    "obj": ["le nuove sanzioni", "i colloqui di pace", "l'accordo militare", "la decisione del vertice",
            "il piano di ricostruzione", "le forniture di gas", "il bilancio della difesa",
            "la proposta di cessate il fuoco", "le esportazioni di grano", "il trattato commerciale",
            "la missione di osservazione", "il nuovo pacchetto di aiuti", "le restrizioni sui visti",
            "la riforma energetica", "il rapporto degli ispettori"],
    "tail": ["durante il vertice di Ginevra", "secondo fonti diplomatiche", "nelle ultime settimane",
             "dopo una lunga riunione notturna", "con una dichiarazione ufficiale",
             "davanti ai giornalisti", "per la seconda volta quest'anno", "a margine della conferenza",
             "con un costo stimato di {n} milioni di euro", "entro la fine di marzo",
             "nonostante le forti pressioni interne", "in una lettera inviata ai partner",
             "dopo {n} giorni di trattative", "secondo un sondaggio pubblicato oggi"],
    "conn": [", mentre", ", ma", " e", ", anche se", ", perché"],
    "targets": {
        "russia": ["la Russia", "il Cremlino", "Putin", "la Federazione Russa"],
        "ukraine": ["l'Ucraina", "Kiev", "Zelensky"],
        "united_states": ["gli Stati Uniti", "Washington", "la Casa Bianca", "Biden"],
        "nato": ["la NATO", "l'Alleanza Atlantica"],
        "european_union": ["l'Unione Europea", "Bruxelles", "la Commissione Europea"],
        "china": ["la Cina", "Pechino", "Xi Jinping"],
        "north_korea": ["la Corea del Nord", "Pyongyang"],
        "israel": ["Israele", "Netanyahu"],
    },
}

EN: Lexicon = {
    "subj": ["the government", "the foreign minister", "a ministry spokeswoman", "the prime minister",
             "a senior official", "analysts", "parliament", "the delegation", "the army chief",
             "the opposition", "international observers", "the mayor of the capital",
             "the central bank", "diplomats", "a military spokesman"],
    "verb": ["criticised", "supported", "discussed", "rejected", "welcomed", "condemned",
             "announced", "demanded", "called unacceptable", "approved", "questioned", "postponed"],
    "obj": ["the new sanctions", "the peace talks", "the military agreement", "the summit decision",
            "the reconstruction plan", "gas deliveries", "the defence budget",
            "the ceasefire proposal", "grain exports", "the trade treaty", "the monitoring mission",
            "the new aid package", "visa restrictions", "the energy reform", "the inspectors' report"],
    "tail": ["during the summit in Geneva", "according to diplomatic sources", "in recent weeks",
             "after a long overnight meeting", "in an official statement", "in front of reporters",
             "for the second time this year", "on the sidelines of the conference",
             "at an estimated cost of {n} million euros", "by the end of March",
             "despite strong pressure at home", "in a letter sent to partners",
             "after {n} days of negotiations", "according to a poll published today"],
    "conn": [", while", ", but", " and", ", although", ", because"],
    "targets": {
        "russia": ["Russia", "the Kremlin", "Putin", "Moscow"],
        "ukraine": ["Ukraine", "Kyiv", "Zelensky"],
        "united_states": ["the United States", "Washington", "the White House", "Biden"],
        "nato": ["NATO", "the Atlantic Alliance"],
        "european_union": ["the European Union", "Brussels", "the European Commission"],
        "china": ["China", "Beijing", "Xi Jinping"],
        "north_korea": ["North Korea", "Pyongyang"],
        "israel": ["Israel", "Netanyahu"],
    },
}

FR: Lexicon = {
    "subj": ["le gouvernement", "le ministre des Affaires étrangères", "la porte-parole du ministère",
             "le Premier ministre", "un haut responsable", "les analystes", "le parlement",
             "la délégation", "le chef d'état-major", "l'opposition", "les observateurs internationaux",
             "le maire de la capitale", "la banque centrale", "les diplomates",
             "un porte-parole de l'armée"],
    "verb": ["a critiqué", "a soutenu", "a discuté", "a rejeté", "a salué", "a condamné", "a annoncé",
             "a exigé", "a jugé inacceptable", "a approuvé", "a mis en doute", "a reporté"],
    "obj": ["les nouvelles sanctions", "les pourparlers de paix", "l'accord militaire",
            "la décision du sommet", "le plan de reconstruction", "les livraisons de gaz",
            "le budget de la défense", "la proposition de cessez-le-feu", "les exportations de céréales",
            "le traité commercial", "la mission d'observation", "le nouveau paquet d'aide",
            "les restrictions de visas", "la réforme énergétique", "le rapport des inspecteurs"],
    "tail": ["lors du sommet de Genève", "selon des sources diplomatiques", "ces dernières semaines",
             "après une longue réunion nocturne", "dans un communiqué officiel", "devant la presse",
             "pour la deuxième fois cette année", "en marge de la conférence",
             "pour un coût estimé à {n} millions d'euros", "d'ici la fin mars",
             "malgré de fortes pressions internes", "dans une lettre adressée aux partenaires",
             "après {n} jours de négociations", "selon un sondage publié aujourd'hui"],
    "conn": [", tandis que", ", mais", " et", ", même si", ", car"],
    "targets": {
        "russia": ["la Russie", "le Kremlin", "Poutine", "Moscou"],
        "ukraine": ["l'Ukraine", "Kiev", "Zelensky"],
        "united_states": ["les États-Unis", "Washington", "la Maison-Blanche", "Biden"],
        "nato": ["l'OTAN", "l'Alliance atlantique"],
        "european_union": ["l'Union européenne", "Bruxelles", "la Commission européenne"],
        "china": ["la Chine", "Pékin", "Xi Jinping"],
        "north_korea": ["la Corée du Nord", "Pyongyang"],
        "israel": ["Israël", "Netanyahou"],
    },
}

DE: Lexicon = {
    "subj": ["die Regierung", "der Außenminister", "eine Sprecherin des Ministeriums", "der Kanzler",
             "ein hoher Beamter", "Analysten", "das Parlament", "die Delegation", "der Generalstabschef",
             "die Opposition", "internationale Beobachter", "der Bürgermeister der Hauptstadt",
             "die Zentralbank", "Diplomaten", "ein Sprecher der Armee"],
    "verb": ["kritisierte", "unterstützte", "erörterte", "lehnte ab", "begrüßte", "verurteilte",
             "kündigte an", "forderte", "nannte inakzeptabel", "billigte", "bezweifelte", "verschob"],
    "obj": ["die neuen Sanktionen", "die Friedensgespräche", "das Militärabkommen",
            "die Entscheidung des Gipfels", "den Wiederaufbauplan", "die Gaslieferungen",
            "den Verteidigungshaushalt", "den Vorschlag für eine Waffenruhe", "die Getreideexporte",
            "den Handelsvertrag", "die Beobachtermission", "das neue Hilfspaket",
            "die Visabeschränkungen", "die Energiereform", "den Bericht der Inspektoren"],
    "tail": ["beim Gipfel in Genf", "nach Angaben aus diplomatischen Kreisen", "in den letzten Wochen",
             "nach einer langen nächtlichen Sitzung", "in einer offiziellen Erklärung",
             "vor Journalisten", "zum zweiten Mal in diesem Jahr", "am Rande der Konferenz",
             "zu geschätzten Kosten von {n} Millionen Euro", "bis Ende März",
             "trotz starken Drucks im Inland", "in einem Brief an die Partner",
             "nach {n} Tagen Verhandlungen", "laut einer heute veröffentlichten Umfrage"],
    "conn": [", während", ", aber", " und", ", obwohl", ", denn"],
    "targets": {
        "russia": ["Russland", "der Kreml", "Putin", "Moskau"],
        "ukraine": ["die Ukraine", "Kiew", "Selenskyj"],
        "united_states": ["die Vereinigten Staaten", "Washington", "die USA", "Biden"],
        "nato": ["die NATO", "das Atlantische Bündnis"],
        "european_union": ["die Europäische Union", "Brüssel", "die Europäische Kommission"],
        "china": ["China", "Peking", "Xi Jinping"],
        "north_korea": ["Nordkorea", "Pjöngjang"],
        "israel": ["Israel", "Netanjahu"],
    },
}

ES: Lexicon = {
    "subj": ["el gobierno", "el ministro de Exteriores", "la portavoz del ministerio",
             "el presidente del Gobierno", "un alto funcionario", "los analistas", "el parlamento",
             "la delegación", "el jefe del ejército",
             "la oposición", "los observadores internacionales", "el alcalde de la capital",
             "el banco central", "los diplomáticos", "un portavoz militar"],
    "verb": ["criticó", "apoyó", "discutió", "rechazó", "celebró", "condenó", "anunció", "exigió",
             "calificó de inaceptable", "aprobó", "puso en duda", "aplazó"],
    "obj": ["las nuevas sanciones", "las conversaciones de paz", "el acuerdo militar",
            "la decisión de la cumbre", "el plan de reconstrucción", "los suministros de gas",
            "el presupuesto de defensa", "la propuesta de alto el fuego", "las exportaciones de grano",
            "el tratado comercial", "la misión de observación", "el nuevo paquete de ayuda",
            "las restricciones de visados", "la reforma energética", "el informe de los inspectores"],
    "tail": ["durante la cumbre de Ginebra", "según fuentes diplomáticas", "en las últimas semanas",
             "tras una larga reunión nocturna", "en un comunicado oficial", "ante los periodistas",
             "por segunda vez este año", "al margen de la conferencia",
             "con un coste estimado de {n} millones de euros", "antes de finales de marzo",
             "pese a fuertes presiones internas", "en una carta enviada a los socios",
             "tras {n} días de negociaciones", "según una encuesta publicada hoy"],
    "conn": [", mientras", ", pero", " y", ", aunque", ", porque"],
    "targets": {
        "russia": ["Rusia", "el Kremlin", "Putin", "Moscú"],
        "ukraine": ["Ucrania", "Kiev", "Zelenski"],
        "united_states": ["Estados Unidos", "Washington", "la Casa Blanca", "Biden"],
        "nato": ["la OTAN", "la Alianza Atlántica"],
        "european_union": ["la Unión Europea", "Bruselas", "la Comisión Europea"],
        "china": ["China", "Pekín", "Xi Jinping"],
        "north_korea": ["Corea del Norte", "Pyongyang"],
        "israel": ["Israel", "Netanyahu"],
    },
}

RU: Lexicon = {
    "subj": ["правительство", "министр иностранных дел", "представитель министерства", "премьер-министр",
             "высокопоставленный чиновник", "аналитики", "парламент", "делегация", "начальник генштаба",
             "оппозиция", "международные наблюдатели", "мэр столицы", "центральный банк", "дипломаты",
             "представитель армии"],
    "verb": ["раскритиковал", "поддержал", "обсудил", "отверг", "приветствовал", "осудил", "объявил",
             "потребовал", "назвал неприемлемым", "одобрил", "поставил под сомнение", "отложил"],
    "obj": ["новые санкции", "мирные переговоры", "военное соглашение", "решение саммита",
            "план восстановления", "поставки газа", "оборонный бюджет", "предложение о перемирии",
            "экспорт зерна", "торговый договор", "миссию наблюдателей", "новый пакет помощи",
            "визовые ограничения", "энергетическую реформу", "доклад инспекторов"],
    "tail": ["во время саммита в Женеве", "по данным дипломатических источников", "в последние недели",
             "после долгого ночного заседания", "в официальном заявлении", "перед журналистами",
             "во второй раз в этом году", "на полях конференции",
             "стоимостью около {n} миллионов евро", "до конца марта",
             "несмотря на сильное давление внутри страны", "в письме партнёрам",
             "после {n} дней переговоров", "согласно опросу, опубликованному сегодня"],
    "conn": [", тогда как", ", но", " и", ", хотя", ", потому что"],
    "targets": {
        "russia": ["Россия", "Кремль", "Путин", "Москва"],
        "ukraine": ["Украина", "Киев", "Зеленский"],
        "united_states": ["США", "Вашингтон", "Белый дом", "Байден"],
        "nato": ["НАТО", "Североатлантический альянс"],
        "european_union": ["Евросоюз", "Брюссель", "Еврокомиссия"],
        "china": ["Китай", "Пекин", "Си Цзиньпин"],
        "north_korea": ["КНДР", "Пхеньян"],
        "israel": ["Израиль", "Нетаньяху"],
    },
}

UK: Lexicon = {
    "subj": ["уряд", "міністр закордонних справ", "речниця міністерства", "прем'єр-міністр",
             "високопосадовець", "аналітики", "парламент", "делегація", "головнокомандувач",
             "опозиція", "міжнародні спостерігачі", "мер столиці", "центральний банк", "дипломати",
             "речник армії"],
    "verb": ["розкритикував", "підтримав", "обговорив", "відхилив", "привітав", "засудив", "оголосив",
             "вимагав", "назвав неприйнятним", "схвалив", "поставив під сумнів", "відклав"],
    "obj": ["нові санкції", "мирні переговори", "військову угоду", "рішення саміту",
            "план відбудови", "постачання газу", "оборонний бюджет", "пропозицію про перемир'я",
            "експорт зерна", "торговельний договір", "місію спостерігачів", "новий пакет допомоги",
            "візові обмеження", "енергетичну реформу", "звіт інспекторів"],
    "tail": ["під час саміту в Женеві", "за даними дипломатичних джерел", "останніми тижнями",
             "після довгого нічного засідання", "в офіційній заяві", "перед журналістами",
             "вдруге цього року", "на полях конференції", "вартістю близько {n} мільйонів євро",
             "до кінця березня", "попри сильний внутрішній тиск", "у листі до партнерів",
             "після {n} днів переговорів", "згідно з опитуванням, оприлюдненим сьогодні"],
    "conn": [", тоді як", ", але", " і", ", хоча", ", бо"],
    "targets": {
        "russia": ["Росія", "Кремль", "Путін", "Москва"],
        "ukraine": ["Україна", "Київ", "Зеленський"],
        "united_states": ["США", "Вашингтон", "Білий дім", "Байден"],
        "nato": ["НАТО", "Північноатлантичний альянс"],
        "european_union": ["Євросоюз", "Брюссель", "Єврокомісія"],
        "china": ["Китай", "Пекін", "Сі Цзіньпін"],
        "north_korea": ["КНДР", "Пхеньян"],
        "israel": ["Ізраїль", "Нетаньягу"],
    },
}

LEXICONS: dict[str, Lexicon] = {"it": IT, "en": EN, "fr": FR, "de": DE, "es": ES, "ru": RU, "uk": UK}

# Share of articles per language: an Italian desk that also reads the European and
# Russian/Ukrainian press.
LANGUAGE_SHARES: dict[str, float] = {"it": 0.30, "en": 0.15, "fr": 0.12, "de": 0.12, "es": 0.10,
                                     "ru": 0.12, "uk": 0.09}

# How often each target is the one a mentioning clause names.
TARGET_SHARES: dict[str, float] = {"russia": 0.25, "ukraine": 0.20, "united_states": 0.15,
                                   "nato": 0.10, "european_union": 0.12, "china": 0.10,
                                   "north_korea": 0.04, "israel": 0.04}
