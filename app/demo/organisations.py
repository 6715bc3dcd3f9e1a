"""Demo organisations: the NGOs of seeds 000, 001 and 003 and invented ones.

Every NIP and REGON has a valid check digit.
"""

from __future__ import annotations

# The KRS of the demo's organisation that nobody acts for yet, for a newcomer to claim.
CLAIMABLE_KRS = "0001123450"

DEMO_ORGANISATIONS: tuple[dict, ...] = (
    {
        "name": "Stowarzyszenie „ECHO”",
        "short_name": "ECHO",
        "legal_form": "association",
        "krs": "0000086722",
        "nip": "6976844754",
        "regon": "414985946",
        "address": "ul. Słowiańska 41, 64-100 Leszno",
        "email": "kontakt@echo-leszno.demo",
        "phone": "+48 65 538 60 08",
        "website": "https://echo-leszno.demo",
        "description": (
            "Stowarzyszenie animuje życie kulturalne i społeczne Leszna i Kalisza: prowadzi klub "
            "dyskusyjny, warsztaty dla młodzieży i punkt doradztwa dla małych organizacji. Zabiega "
            "o zwiększenie miejskiej puli środków na działalność organizacji pozarządowych."
        ),
        "areas": ["16", "13", "33"],
        "public_benefit": True,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["kultura", "wsparcie ngo"],
                "notes": "Rozliczenie dotacji 2023 złożone w terminie.",
                "contact": "Hanna Hendrysiak",
                "fields": "warsztaty dla młodzieży i doradztwo dla organizacji",
            },
            "kalisz": {
                "status": "active",
                "tags": ["kultura", "młodzież"],
                "notes": "Pierwsza oferta w otwartym konkursie na 2024 r.",
                "contact": "Hanna Hendrysiak",
                "fields": "klub dyskusyjny i warsztaty artystyczne",
            },
            "konin": {
                "status": "requested",
                "tags": ["kultura"],
                "notes": "Prosi o rejestrację: chce prowadzić warsztaty w Koninie.",
                "contact": "Hanna Hendrysiak",
                "fields": "warsztaty dla młodzieży",
            },
        },
    },
    {
        "name": "Stowarzyszenie „Nasza Alternatywa”",
        "short_name": "Nasza Alternatywa",
        "legal_form": "association",
        "krs": "0000390529",
        "nip": "6979418874",
        "regon": "302834993",
        "address": "ul. Bolesława Chrobrego 12, 64-100 Leszno",
        "email": "biuro@nasza-alternatywa.demo",
        "phone": "+48 724 508 846",
        "website": "https://nasza-alternatywa.demo",
        "description": (
            "Organizuje wymiany młodzieży z miastami partnerskimi Leszna oraz projekty edukacyjne "
            "o integracji europejskiej. Prowadzi klub wolontariusza dla uczniów szkół średnich."
        ),
        "areas": ["26", "15", "27"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["współpraca zagraniczna", "młodzież"],
                "notes": "Pyta o środki na wymianę z miastami partnerskimi w budżecie 2024.",
                "contact": "Helena Strzałkowska",
                "fields": "wymiany młodzieży z miastami partnerskimi",
            },
        },
    },
    {
        "name": "Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000241297",
        "nip": "6971070874",
        "regon": "303920571",
        "address": "ul. Narutowicza 20, 64-100 Leszno",
        "email": "sekretariat@seniorzy-jp2-leszno.demo",
        "phone": "+48 65 526 10 37",
        "website": None,
        "description": (
            "Skupia seniorów z leszczyńskich parafii: organizuje spotkania formacyjne, pielgrzymki "
            "i zajęcia aktywizujące. Przygotowuje otwarcie w Lesznie Izby Pamięci im. św. Jana "
            "Pawła II."
        ),
        "areas": ["10", "16", "4"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["seniorzy", "dziedzictwo"],
                "notes": (
                    "Izba Pamięci im. św. Jana Pawła II w przygotowaniu; pyta o projekty "
                    "partnerskie w AOL 2023."
                ),
                "contact": "Aleksy Szymanowski",
                "fields": "aktywizacja seniorów i Izba Pamięci",
            },
        },
    },
    {
        "name": "Fundacja Forum Rozwoju Nowoczesnych Technologii",
        "short_name": "FFRNT",
        "legal_form": "foundation",
        "krs": "0000339574",
        "nip": "6184317499",
        "regon": "303905867",
        "address": "ul. Górnośląska 12, 62-800 Kalisz",
        "email": "biuro@ffrnt.demo",
        "phone": "+48 62 501 51 38",
        "website": "https://ffrnt.demo",
        "description": (
            "Realizuje z Samorządem Województwa Wielkopolskiego projekt „Wielkopolska działa "
            "razem”, wdrażający standardy współpracy administracji publicznej i NGO. Prowadzi "
            "spotkania partycypacyjne, szkolenia i doradztwo w Kaliszu, Lesznie, Koninie i Pile."
        ),
        "areas": ["33", "12", "14"],
        "public_benefit": True,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["projekt regionalny", "standardy współpracy"],
                "notes": "Partner projektu „Wielkopolska działa razem”.",
                "contact": "Marcin Kaczmarek",
                "fields": "spotkania partycypacyjne i standardy współpracy",
            },
            "kalisz": {
                "status": "active",
                "tags": ["projekt regionalny", "szkolenia"],
                "notes": "Siedziba fundacji w Kaliszu.",
                "contact": "Joanna Majchrzak",
                "fields": "szkolenia dla urzędników i organizacji",
            },
            "konin": {
                "status": "active",
                "tags": ["projekt regionalny"],
                "notes": "Kolejne spotkanie dot. standardów — marzec 2014 r.",
                "contact": "Łukasz Wojciechowski",
                "fields": "bloki tematyczne: polityki publiczne, zadania publiczne, infrastruktura",
            },
            "pila": {
                "status": "active",
                "tags": ["projekt regionalny", "standardy współpracy"],
                "notes": "",
                "contact": "Marcin Kaczmarek",
                "fields": "spotkania partycypacyjne dla urzędu i organizacji",
            },
        },
    },
    {
        "name": "Fundacja „Wielkopolska Akademia Seniora”",
        "short_name": "Akademia Seniora",
        "legal_form": "foundation",
        "krs": "0000397361",
        "nip": "6973653485",
        "regon": "303809649",
        "address": "ul. Leszczyńskich 7, 64-100 Leszno",
        "email": "kontakt@akademia-seniora.demo",
        "phone": "+48 65 528 38 26",
        "website": "https://akademia-seniora.demo",
        "description": (
            "Prowadzi uniwersytety trzeciego wieku i kursy kompetencji cyfrowych dla seniorów w "
            "trzech miastach Wielkopolski. Wspiera miejskie rady seniorów w przygotowywaniu "
            "opinii."
        ),
        "areas": ["10", "14", "6"],
        "public_benefit": True,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["seniorzy", "edukacja"],
                "notes": "Współpraca z Leszczyńską Radą Seniorów.",
                "contact": "Grażyna Nowicka",
                "fields": "uniwersytet trzeciego wieku i kursy komputerowe",
            },
            "kalisz": {
                "status": "active",
                "tags": ["seniorzy"],
                "notes": "",
                "contact": "Teresa Ratajczak",
                "fields": "kursy cyfrowe dla seniorów",
            },
            "konin": {
                "status": "active",
                "tags": ["seniorzy", "zdrowie"],
                "notes": "Mały grant 2023 rozliczony.",
                "contact": "Zbigniew Pawlak",
                "fields": "gimnastyka i profilaktyka zdrowotna seniorów",
            },
            "wojewodztwo-wielkopolskie": {
                "status": "active",
                "tags": ["seniorzy", "sieć regionalna"],
                "notes": "Partner wojewódzkiego programu aktywizacji seniorów.",
                "contact": "Grażyna Nowicka",
                "fields": "uniwersytety trzeciego wieku w trzech miastach regionu",
            },
        },
    },
    {
        "name": "Stowarzyszenie Przyjaciół Żółwi Błotnych",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000433418",
        "nip": "6979202967",
        "regon": "302029688",
        "address": "ul. Okrężna 15, 64-100 Leszno",
        "email": "zolwie@zolwie-blotne.demo",
        "phone": "+48 662 107 460",
        "website": "https://zolwie-blotne.demo",
        "description": (
            "Chroni stanowiska żółwia błotnego w Wielkopolsce: prowadzi monitoring, zabezpiecza "
            "miejsca lęgowe i odchowuje młode żółwie. Organizuje zajęcia przyrodnicze dla szkół."
        ),
        "areas": ["18", "14"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["ekologia", "edukacja przyrodnicza"],
                "notes": "",
                "contact": "Dariusz Łączkowski",
                "fields": "ochrona stanowisk lęgowych i zajęcia dla szkół",
            },
            "pila": {
                "status": "active",
                "tags": ["ekologia"],
                "notes": "Wniosek o wsparcie zabezpieczenia lęgowisk.",
                "contact": "Małgorzata Żółtańska",
                "fields": "monitoring stanowisk w dolinie Gwdy",
            },
            "wojewodztwo-wielkopolskie": {
                "status": "active",
                "tags": ["ekologia", "Natura 2000"],
                "notes": "",
                "contact": "Dariusz Łączkowski",
                "fields": "ochrona żółwia błotnego w wielkopolskich obszarach Natura 2000",
            },
            "powiat-leszczynski": {
                "status": "active",
                "tags": ["ekologia"],
                "notes": "",
                "contact": "Dariusz Łączkowski",
                "fields": "zajęcia przyrodnicze w szkołach powiatu",
            },
        },
    },
    {
        "name": "Leszczyńskie Stowarzyszenie Amazonek „Róża”",
        "short_name": "Amazonki „Róża”",
        "legal_form": "association",
        "krs": "0000165356",
        "nip": "6976617691",
        "regon": "411850884",
        "address": "ul. Kiepury 45, 64-100 Leszno",
        "email": "roza@amazonki-leszno.demo",
        "phone": "+48 65 526 87 32",
        "website": None,
        "description": (
            "Wspiera kobiety po leczeniu raka piersi: prowadzi grupy wsparcia i rehabilitację oraz "
            "kampanie zachęcające do badań profilaktycznych."
        ),
        "areas": ["6", "7"],
        "public_benefit": True,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["zdrowie", "profilaktyka"],
                "notes": "Kampania „Różowy Październik” współfinansowana przez miasto.",
                "contact": "Elżbieta Kowalewska",
                "fields": "grupy wsparcia i profilaktyka raka piersi",
            },
        },
    },
    {
        "name": "Uczniowski Klub Sportowy „Jedynka” Leszno",
        "short_name": "UKS Jedynka",
        "legal_form": "student_sports_club",
        "krs": None,
        "nip": "6974386365",
        "regon": "300344658",
        "address": "ul. Lipowa 76, 64-100 Leszno",
        "email": "uks.jedynka@sp1-leszno.demo",
        "phone": "+48 790 888 564",
        "website": None,
        "description": (
            "Szkolny klub sportowy prowadzący zajęcia z lekkiej atletyki i piłki ręcznej dla "
            "dzieci ze szkół podstawowych. Organizuje wakacyjne obozy sportowe."
        ),
        "areas": ["17", "15"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["sport", "dzieci"],
                "notes": "Bez KRS — wpis w ewidencji uczniowskich klubów sportowych miasta.",
                "contact": "Paweł Jankowiak",
                "fields": "lekkoatletyka i piłka ręczna dla dzieci",
            },
        },
    },
    {
        "name": "Spółdzielnia Socjalna „Smaki Leszna”",
        "short_name": "Smaki Leszna",
        "legal_form": "social_cooperative",
        "krs": "0001014202",
        "nip": "6971552478",
        "regon": "367003215",
        "address": "ul. Święciechowska 28, 64-100 Leszno",
        "email": "zamowienia@smaki-leszna.demo",
        "phone": "+48 515 787 341",
        "website": "https://smaki-leszna.demo",
        "description": (
            "Prowadzi catering i bar mleczny, zatrudniając osoby długotrwale bezrobotne i osoby z "
            "niepełnosprawnościami. Przygotowuje posiłki na miejskie wydarzenia i dla świetlic "
            "szkolnych."
        ),
        "areas": ["2", "8", "7"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["ekonomia społeczna", "zatrudnienie"],
                "notes": "Catering podczas Dnia Organizacji Pozarządowych.",
                "contact": "Katarzyna Przybylska",
                "fields": "catering i reintegracja zawodowa",
            },
        },
    },
    {
        "name": "Stowarzyszenie zwykłe „Leszczyńskie Morsy”",
        "short_name": "Leszczyńskie Morsy",
        "legal_form": "ordinary_association",
        "krs": None,
        "nip": None,
        "regon": "361718338",
        "address": "ul. Strzelecka 9, 64-100 Leszno",
        "email": "morsy@leszczynskie-morsy.demo",
        "phone": "+48 886 495 373",
        "website": None,
        "description": (
            "Grupa miłośników zimowych kąpieli działająca na podstawie regulaminu, wpisana do "
            "ewidencji stowarzyszeń zwykłych. Organizuje wspólne kąpiele i zbiórki charytatywne."
        ),
        "areas": ["17", "6"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["sport", "rekreacja"],
                "notes": "Stowarzyszenie zwykłe — bez KRS, reprezentuje przedstawiciel.",
                "contact": "Robert Maćkowiak",
                "fields": "zimowe kąpiele i zbiórki charytatywne",
            },
        },
    },
    {
        "name": "Fundacja Edukacyjna „Comenius”",
        "short_name": "Comenius",
        "legal_form": "foundation",
        "krs": "0000401950",
        "nip": "6978902450",
        "regon": "300027923",
        "address": "ul. Komeńskiego 4, 64-100 Leszno",
        "email": "fundacja@comenius-leszno.demo",
        "phone": "+48 65 525 32 52",
        "website": "https://comenius-leszno.demo",
        "description": (
            "Popularyzuje dziedzictwo Jana Amosa Komeńskiego i historię leszczyńskich Braci "
            "Czeskich. Prowadzi zajęcia edukacyjne dla szkół i przygotowuje ścieżkę turystyczną po "
            "Starym Mieście."
        ),
        "areas": ["16", "14", "19"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["kultura", "edukacja", "historia"],
                "notes": "",
                "contact": "Wojciech Szulc",
                "fields": "edukacja historyczna i ścieżka po Starym Mieście",
            },
        },
    },
    {
        "name": (
            "Leszczyńskie Towarzystwo Pomocy Osobom z Niepełnosprawnością Intelektualną „Razem "
            "Łatwiej”"
        ),
        "short_name": "Razem Łatwiej",
        "legal_form": "association",
        "krs": "0000069165",
        "nip": "6976658224",
        "regon": "416443103",
        "address": "ul. Mickiewicza 22, 64-100 Leszno",
        "email": "sekretariat@razem-latwiej.demo",
        "phone": "+48 65 532 03 23",
        "website": "https://razem-latwiej.demo",
        "description": (
            "Prowadzi warsztat terapii zajęciowej i mieszkanie treningowe dla dorosłych z "
            "niepełnosprawnością intelektualną. Wspiera rodziców i opiekunów w sprawach prawnych i "
            "opiekuńczych."
        ),
        "areas": ["7", "2", "1"],
        "public_benefit": True,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["niepełnosprawność", "pomoc społeczna"],
                "notes": "Umowa wieloletnia na prowadzenie WTZ do 2026 r.",
                "contact": "Iwona Kurzawa",
                "fields": "warsztat terapii zajęciowej i mieszkanie treningowe",
            },
        },
    },
    {
        "name": "Stowarzyszenie Miłośników Szybownictwa „Termika”",
        "short_name": "Termika",
        "legal_form": "association",
        "krs": "0000285265",
        "nip": "6974853482",
        "regon": "361241296",
        "address": "ul. Szybowników 31, 64-100 Leszno",
        "email": "termika@szybowce-leszno.demo",
        "phone": "+48 880 566 832",
        "website": "https://termika-leszno.demo",
        "description": (
            "Popularyzuje szybownictwo i modelarstwo lotnicze wśród dzieci i młodzieży. "
            "Współorganizuje pokazy lotnicze i pikniki na leszczyńskim lotnisku."
        ),
        "areas": ["17", "15", "19"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["sport", "młodzież", "lotnictwo"],
                "notes": "",
                "contact": "Krzysztof Dudziak",
                "fields": "pracownia modelarska i pokazy lotnicze",
            },
        },
    },
    {
        "name": "Stowarzyszenie Rodzin Zastępczych „Gniazdo”",
        "short_name": "Gniazdo",
        "legal_form": "association",
        "krs": "0000645363",
        "nip": "6977586283",
        "regon": "380539925",
        "address": "ul. Sienkiewicza 14, 64-100 Leszno",
        "email": "gniazdo@rodziny-zastepcze-leszno.demo",
        "phone": "+48 506 743 628",
        "website": None,
        "description": (
            "Zrzesza rodziny zastępcze i prowadzących rodzinne domy dziecka z Leszna i okolic. "
            "Organizuje grupy wsparcia, szkolenia i wspólny wypoczynek dla dzieci."
        ),
        "areas": ["1a", "31", "15"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "requested",
                "tags": ["rodzina", "piecza zastępcza"],
                "notes": "Wniosek o rejestrację — do sprawdzenia wpis w KRS.",
                "contact": "Agnieszka Wawrzyniak",
                "fields": "wsparcie rodzin zastępczych",
            },
        },
    },
    {
        "name": "Fundacja Pomocy Dzieciom „Promyk”",
        "short_name": "Promyk",
        "legal_form": "foundation",
        "krs": "0000160627",
        "nip": "6188296794",
        "regon": "259991145",
        "address": "ul. Częstochowska 48, 62-800 Kalisz",
        "email": "pomoc@promyk-kalisz.demo",
        "phone": "+48 62 752 64 76",
        "website": "https://promyk-kalisz.demo",
        "description": (
            "Prowadzi świetlice środowiskowe i korepetycje dla dzieci z rodzin w trudnej sytuacji "
            "życiowej. Organizuje letni wypoczynek i zbiórki przyborów szkolnych."
        ),
        "areas": ["15", "1", "31"],
        "public_benefit": True,
        "cities": {
            "kalisz": {
                "status": "active",
                "tags": ["dzieci", "pomoc społeczna"],
                "notes": "Kontrola dotacji na świetlicę w 2023 r. bez uwag.",
                "contact": "Beata Sobczak",
                "fields": "świetlice środowiskowe i korepetycje",
            },
            "konin": {
                "status": "requested",
                "tags": ["dzieci"],
                "notes": "Planuje świetlicę w Starym Koninie.",
                "contact": "Ewa Michalak",
                "fields": "świetlica środowiskowa w przygotowaniu",
            },
        },
    },
    {
        "name": "Koło Gospodyń Wiejskich „Kościelnowsianki”",
        "short_name": "KGW Kościelnowsianki",
        "legal_form": "rural_housewives_circle",
        "krs": None,
        "nip": "6186707690",
        "regon": "387019420",
        "address": "ul. Wiejska 7, 62-800 Kalisz",
        "email": "kgw@koscielnowsianki.demo",
        "phone": "+48 695 376 953",
        "website": None,
        "description": (
            "Koło wpisane do Krajowego Rejestru Kół Gospodyń Wiejskich kultywuje tradycje "
            "kulinarne i obrzędowe kaliskiej Kościelnej Wsi. Organizuje warsztaty rękodzieła i "
            "dożynki osiedlowe."
        ),
        "areas": ["4", "13", "16"],
        "public_benefit": False,
        "cities": {
            "kalisz": {
                "status": "active",
                "tags": ["tradycja", "kultura ludowa"],
                "notes": "Bez KRS — wpis w Krajowym Rejestrze KGW (ARiMR).",
                "contact": "Stanisława Grzelak",
                "fields": "warsztaty kulinarne i rękodzieło",
            },
        },
    },
    {
        "name": "Fundacja „Kaliska Scena Niezależna”",
        "short_name": "Kaliska Scena",
        "legal_form": "foundation",
        "krs": "0000968057",
        "nip": "6182793066",
        "regon": "300277146",
        "address": "ul. Babina 8, 62-800 Kalisz",
        "email": "scena@kaliska-scena.demo",
        "phone": "+48 509 922 317",
        "website": "https://kaliska-scena.demo",
        "description": (
            "Prowadzi niezależną scenę teatralną i warsztaty aktorskie dla młodzieży. Organizuje "
            "coroczny przegląd teatrów amatorskich."
        ),
        "areas": ["16", "15"],
        "public_benefit": False,
        "cities": {
            "kalisz": {
                "status": "active",
                "tags": ["kultura", "teatr"],
                "notes": "",
                "contact": "Michał Olejniczak",
                "fields": "teatr niezależny i warsztaty dla młodzieży",
            },
        },
    },
    {
        "name": "Kaliski Klub Abstynenta „Szansa”",
        "short_name": "Szansa",
        "legal_form": "association",
        "krs": "0000116033",
        "nip": "6183546743",
        "regon": "256651851",
        "address": "ul. Nowy Świat 19, 62-800 Kalisz",
        "email": "klub@szansa-kalisz.demo",
        "phone": "+48 62 766 74 33",
        "website": None,
        "description": (
            "Prowadzi grupy wsparcia dla osób uzależnionych od alkoholu i ich rodzin oraz "
            "organizuje trzeźwościowe imprezy rodzinne."
        ),
        "areas": ["32", "6"],
        "public_benefit": False,
        "cities": {
            "kalisz": {
                "status": "active",
                "tags": ["uzależnienia"],
                "notes": "Sprawozdanie z zadania profilaktycznego do 31 stycznia.",
                "contact": "Henryk Walczak",
                "fields": "grupy wsparcia i profilaktyka uzależnień",
            },
        },
    },
    {
        "name": "Fundacja Sprawiedliwej Transformacji Wschodniej Wielkopolski",
        "short_name": "Transformacja Wschodniej Wielkopolski",
        "legal_form": "foundation",
        "krs": "0000646634",
        "nip": "6658419396",
        "regon": "363717231",
        "address": "ul. Kolejowa 1, 62-500 Konin",
        "email": "biuro@transformacja-konin.demo",
        "phone": "+48 63 213 97 18",
        "website": "https://transformacja-konin.demo",
        "description": (
            "Wspiera byłych pracowników górnictwa i energetyki w przekwalifikowaniu się i "
            "zakładaniu firm. Prowadzi debaty o przyszłości regionu po odejściu od węgla."
        ),
        "areas": ["8", "11", "18"],
        "public_benefit": False,
        "cities": {
            "konin": {
                "status": "active",
                "tags": ["rynek pracy", "transformacja"],
                "notes": "",
                "contact": "Andrzej Kowalczyk",
                "fields": "doradztwo zawodowe dla byłych górników",
            },
            "wojewodztwo-wielkopolskie": {
                "status": "requested",
                "tags": ["transformacja"],
                "notes": "Prosi o rejestrację: chce zgłosić propozycje do programu.",
                "contact": "Andrzej Kowalczyk",
                "fields": "aktywizacja zawodowa w Wielkopolsce Wschodniej",
            },
        },
    },
    {
        "name": "Klub Sportowy „Warta Gosławice”",
        "short_name": "Warta Gosławice",
        "legal_form": "association",
        "krs": "0000044775",
        "nip": "6653926125",
        "regon": "312372993",
        "address": "ul. Zakładowa 10, 62-500 Konin",
        "email": "klub@warta-goslawice.demo",
        "phone": "+48 721 376 863",
        "website": "https://warta-goslawice.demo",
        "description": (
            "Klub piłkarski prowadzący drużynę seniorów, grupy młodzieżowe oraz sekcję piłki "
            "nożnej kobiet."
        ),
        "areas": ["17", "15", "9"],
        "public_benefit": False,
        "cities": {
            "konin": {
                "status": "active",
                "tags": ["sport"],
                "notes": "",
                "contact": "Sebastian Wróbel",
                "fields": "piłka nożna dzieci i młodzieży",
            },
        },
    },
    {
        "name": "Spółdzielnia Socjalna „Ogród Gosławicki”",
        "short_name": "Ogród Gosławicki",
        "legal_form": "social_cooperative",
        "krs": "0000791255",
        "nip": "6650809761",
        "regon": "360900680",
        "address": "ul. Kardynała Wyszyńskiego 3, 62-500 Konin",
        "email": "ogrod@ogrod-goslawicki.demo",
        "phone": "+48 886 737 699",
        "website": None,
        "description": (
            "Zakłada i pielęgnuje tereny zielone na zlecenie instytucji publicznych, zatrudniając "
            "osoby zagrożone wykluczeniem społecznym. Prowadzi szkółkę roślin miododajnych."
        ),
        "areas": ["2", "18"],
        "public_benefit": False,
        "cities": {
            "konin": {
                "status": "active",
                "tags": ["ekonomia społeczna", "zieleń"],
                "notes": "Umowa na utrzymanie zieleni przy bulwarze nadwarciańskim.",
                "contact": "Monika Szymczak",
                "fields": "utrzymanie zieleni miejskiej",
            },
        },
    },
    {
        "name": "Fundacja „Źródło”",
        "short_name": "Źródło",
        "legal_form": "foundation",
        "krs": "0000359057",
        "nip": "7640496775",
        "regon": "579357995",
        "address": "ul. Śródmiejska 20, 64-920 Piła",
        "email": "pomoc@zrodlo-pila.demo",
        "phone": "+48 67 351 34 98",
        "website": "https://zrodlo-pila.demo",
        "description": (
            "Prowadzi punkt konsultacyjny dla osób uzależnionych i współuzależnionych oraz grupy "
            "wsparcia dla rodzin. Organizuje zajęcia profilaktyczne w pilskich szkołach."
        ),
        "areas": ["32", "6", "1"],
        "public_benefit": True,
        "cities": {
            "pila": {
                "status": "active",
                "tags": ["uzależnienia", "profilaktyka"],
                "notes": "Realizuje zadanie z gminnego programu profilaktyki.",
                "contact": "Jolanta Żurawska",
                "fields": "punkt konsultacyjny i profilaktyka w szkołach",
            },
        },
    },
    {
        "name": "Parafia Rzymskokatolicka pw. św. Antoniego w Pile",
        "short_name": None,
        "legal_form": "church_legal_person",
        "krs": None,
        "nip": "7647625282",
        "regon": "570673298",
        "address": "ul. Ludowa 15, 64-920 Piła",
        "email": "kancelaria@antoni-pila.demo",
        "phone": "+48 67 352 13 81",
        "website": None,
        "description": (
            "Przy parafii działa Parafialny Zespół Caritas, który wydaje żywność potrzebującym i "
            "organizuje wigilię dla osób samotnych."
        ),
        "areas": ["3", "1"],
        "public_benefit": False,
        "cities": {
            "pila": {
                "status": "active",
                "tags": ["pomoc społeczna", "caritas"],
                "notes": "Kościelna osoba prawna — bez KRS.",
                "contact": "Tomasz Mazur",
                "fields": "wydawanie żywności i wigilia dla samotnych",
            },
        },
    },
    {
        "name": "Uczniowski Klub Sportowy „Gwda” Piła",
        "short_name": "UKS Gwda",
        "legal_form": "student_sports_club",
        "krs": None,
        "nip": "7649427480",
        "regon": "303300503",
        "address": "ul. Kusocińskiego 8, 64-920 Piła",
        "email": "uks.gwda@sp-pila.demo",
        "phone": "+48 516 747 200",
        "website": None,
        "description": (
            "Prowadzi sekcje kajakarstwa i pływania dla uczniów pilskich szkół podstawowych oraz "
            "organizuje spływy po Gwdzie."
        ),
        "areas": ["17", "15"],
        "public_benefit": False,
        "cities": {
            "pila": {
                "status": "active",
                "tags": ["sport", "dzieci"],
                "notes": "",
                "contact": "Rafał Mikołajczak",
                "fields": "kajakarstwo i pływanie dla uczniów",
            },
        },
    },
    {
        "name": "Pilskie Stowarzyszenie Miłośników Ziemi Nadnoteckiej",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000164894",
        "nip": "7646676544",
        "regon": "574181505",
        "address": "ul. Bydgoska 18, 64-920 Piła",
        "email": "ziemia@nadnotecka.demo",
        "phone": "+48 67 353 76 16",
        "website": "https://nadnotecka.demo",
        "description": (
            "Dokumentuje historię Piły i okolic, wydaje przewodniki oraz prowadzi rajdy "
            "krajoznawcze po dolinie Noteci."
        ),
        "areas": ["19", "16", "4"],
        "public_benefit": False,
        "cities": {
            "pila": {
                "status": "active",
                "tags": ["turystyka", "historia"],
                "notes": "Przewodnik dofinansowany w 2023 r.",
                "contact": "Halina Wojtkowiak",
                "fields": "rajdy krajoznawcze i wydawnictwa",
            },
        },
    },
    {
        "name": "Fundacja Instytut Dziedzictwa Przemysłowego",
        "short_name": "IDP",
        "legal_form": "foundation",
        "krs": "0000451168",
        "nip": "6787595936",
        "regon": "120922270",
        "address": "os. Centrum E 7, 31-934 Kraków",
        "email": "kontakt@dziedzictwo-przemyslowe.demo",
        "phone": "+48 12 630 38 89",
        "website": "https://dziedzictwo-przemyslowe.demo",
        "description": (
            "Bada i popularyzuje dziedzictwo przemysłowe Nowej Huty i żyrardowskiej osady "
            "fabrycznej. Prowadzi spacery historyczne i wspiera rewitalizację dawnych terenów "
            "fabrycznych."
        ),
        "areas": ["16", "32a", "19"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["dziedzictwo", "nowa huta"],
                "notes": "",
                "contact": "Adam Krzyżanowski",
                "fields": "spacery po Nowej Hucie i archiwum historii mówionej",
            },
            "zyrardow": {
                "status": "active",
                "tags": ["rewitalizacja", "dziedzictwo"],
                "notes": "Partner w konsultacjach programu rewitalizacji.",
                "contact": "Natalia Gajewska",
                "fields": "dokumentacja osady fabrycznej",
            },
        },
    },
    {
        "name": "Parafia Rzymskokatolicka pw. Matki Bożej Pocieszenia w Krakowie",
        "short_name": None,
        "legal_form": "church_legal_person",
        "krs": None,
        "nip": "6760662402",
        "regon": "354994489",
        "address": "ul. Kalwaryjska 40, 30-504 Kraków",
        "email": "kancelaria@pocieszenie-krakow.demo",
        "phone": "+48 12 423 26 96",
        "website": None,
        "description": (
            "Przy parafii działają jadłodajnia dla osób ubogich i klub seniora. Parafia "
            "współorganizuje z radą dzielnicy akcje pomocy sąsiedzkiej."
        ),
        "areas": ["3", "1", "10"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["pomoc społeczna", "seniorzy"],
                "notes": "Kościelna osoba prawna — bez KRS.",
                "contact": "Jan Kozioł",
                "fields": "jadłodajnia i klub seniora",
            },
        },
    },
    {
        "name": "Fundacja „Krakowski Bank Czasu”",
        "short_name": "Bank Czasu",
        "legal_form": "foundation",
        "krs": "0000276078",
        "nip": "6777422217",
        "regon": "121243602",
        "address": "ul. Józefińska 14, 30-529 Kraków",
        "email": "czas@bank-czasu-krakow.demo",
        "phone": "+48 724 216 673",
        "website": "https://bank-czasu-krakow.demo",
        "description": (
            "Prowadzi bank czasu, w którym mieszkańcy wymieniają się usługami, oraz centrum "
            "wolontariatu sąsiedzkiego w Podgórzu."
        ),
        "areas": ["27", "13"],
        "public_benefit": True,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["wolontariat", "sąsiedztwo"],
                "notes": "",
                "contact": "Aleksandra Bielecka",
                "fields": "bank czasu i wolontariat sąsiedzki",
            },
        },
    },
    {
        "name": "Stowarzyszenie „Kazimierz Wielokulturowy”",
        "short_name": "Kazimierz Wielokulturowy",
        "legal_form": "association",
        "krs": "0000196136",
        "nip": "6767523951",
        "regon": "359952751",
        "address": "ul. Józefa 17, 31-056 Kraków",
        "email": "biuro@kazimierz-wielokulturowy.demo",
        "phone": "+48 12 652 30 46",
        "website": "https://kazimierz-wielokulturowy.demo",
        "description": (
            "Przybliża wielokulturowe dziedzictwo krakowskiego Kazimierza: organizuje spotkania, "
            "koncerty i warsztaty dla mieszkańców. Wspiera dialog międzykulturowy i społeczności "
            "mniejszości narodowych."
        ),
        "areas": ["5", "16", "22"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["kultura", "mniejszości"],
                "notes": "",
                "contact": "Rafał Wasilewski",
                "fields": "spotkania i koncerty na Kazimierzu",
            },
        },
    },
    {
        "name": "Krakowskie Stowarzyszenie Pomocy Osobom w Kryzysie Bezdomności „Przystań”",
        "short_name": "Przystań",
        "legal_form": "association",
        "krs": "0000020816",
        "nip": "6798976501",
        "regon": "358746015",
        "address": "ul. Rakowicka 10, 31-511 Kraków",
        "email": "przystan@przystan-krakow.demo",
        "phone": "+48 12 438 04 78",
        "website": "https://przystan-krakow.demo",
        "description": (
            "Prowadzi noclegownię, łaźnię i streetworking dla osób w kryzysie bezdomności. Pomaga "
            "wyjść z bezdomności przez mieszkania wspierane i treningi zawodowe."
        ),
        "areas": ["1", "2", "32"],
        "public_benefit": True,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["bezdomność", "pomoc społeczna"],
                "notes": "Zima 2023/24 — więcej miejsc w noclegowni.",
                "contact": "Marek Pietrzyk",
                "fields": "noclegownia i streetworking",
            },
        },
    },
    {
        "name": "Fundacja Rozwoju Przedsiębiorczości Społecznej „Źdźbło”",
        "short_name": "Źdźbło",
        "legal_form": "foundation",
        "krs": "0001060921",
        "nip": "9451978540",
        "regon": "368900394",
        "address": "ul. Dietla 55, 31-070 Kraków",
        "email": "kontakt@zdzblo.demo",
        "phone": "+48 608 836 995",
        "website": "https://zdzblo.demo",
        "description": (
            "Inkubuje przedsiębiorstwa społeczne i doradza spółdzielniom socjalnym w Małopolsce. "
            "Szkoli z zakładania firm osoby wychodzące z długotrwałego bezrobocia."
        ),
        "areas": ["11", "2", "8"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "active",
                "tags": ["ekonomia społeczna", "przedsiębiorczość"],
                "notes": "",
                "contact": "Żaneta Grabowska",
                "fields": "inkubator przedsiębiorstw społecznych",
            },
        },
    },
    {
        "name": "Stowarzyszenie Mieszkańców Zabłocia „Nasze Podwórko”",
        "short_name": "Nasze Podwórko",
        "legal_form": "association",
        "krs": "0000704607",
        "nip": "6773041211",
        "regon": "383395817",
        "address": "ul. Przemysłowa 12, 30-701 Kraków",
        "email": "podworko@zablocie-mieszkancy.demo",
        "phone": "+48 505 356 846",
        "website": None,
        "description": (
            "Mieszkańcy Zabłocia dbają o zieleń osiedlową i podwórka oraz prowadzą dialog z "
            "inwestorami. Współtworzą lokalne projekty rewitalizacyjne."
        ),
        "areas": ["13", "32a", "18"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "requested",
                "tags": ["rewitalizacja", "mieszkańcy"],
                "notes": "Czeka na potwierdzenie reprezentacji zarządu.",
                "contact": "Dorota Ślusarczyk",
                "fields": "zieleń osiedlowa i konsultacje inwestycji",
            },
        },
    },
    {
        "name": "Fundacja Edukacji Prawnej „Lex Cracovia”",
        "short_name": "Lex Cracovia",
        "legal_form": "foundation",
        "krs": "0000308186",
        "nip": "6750019484",
        "regon": "127630760",
        "address": "ul. Grodzka 52, 31-044 Kraków",
        "email": "porady@lex-cracovia.demo",
        "phone": "+48 12 655 25 82",
        "website": "https://lex-cracovia.demo",
        "description": (
            "Prowadziła punkt nieodpłatnej pomocy prawnej i warsztaty edukacji prawnej dla "
            "licealistów. Od 2023 r. pozostaje w likwidacji."
        ),
        "areas": ["1b", "22"],
        "public_benefit": False,
        "cities": {
            "krakow": {
                "status": "archived",
                "tags": ["pomoc prawna"],
                "notes": "Fundacja w likwidacji — wpis zarchiwizowany na wniosek likwidatora.",
                "contact": "Piotr Górecki",
                "fields": "nieodpłatna pomoc prawna (zakończona)",
            },
        },
    },
    {
        "name": "Sopockie Centrum Organizacji Pozarządowych",
        "short_name": "SCOP",
        "legal_form": "association",
        "krs": "0000367874",
        "nip": "5854051006",
        "regon": "220457829",
        "address": "ul. Kościuszki 25, 81-704 Sopot",
        "email": "scop@scop-sopot.demo",
        "phone": "+48 58 557 92 69",
        "website": "https://scop-sopot.demo",
        "description": (
            "Wspiera organizacje pozarządowe Sopotu i Gdańska: udostępnia sale, prowadzi doradztwo "
            "i szkolenia oraz obsługuje Sopocką Radę Organizacji Pozarządowych. Dzieli się dobrymi "
            "praktykami współpracy z samorządami z innych regionów."
        ),
        "areas": ["33", "27", "13"],
        "public_benefit": True,
        "cities": {
            "sopot": {
                "status": "active",
                "tags": ["wsparcie ngo", "infrastruktura"],
                "notes": "Operator lokalu dla organizacji — umowa do 2025 r.",
                "contact": "Magdalena Kwiatkowska",
                "fields": "centrum organizacji i obsługa Sopockiej Rady Organizacji Pozarządowych",
            },
            "gdansk": {
                "status": "active",
                "tags": ["wsparcie ngo"],
                "notes": "Prelegent wizyty studyjnej w grudniu 2020 r.",
                "contact": "Bartosz Lewandowski",
                "fields": "szkolenia i doradztwo dla organizacji",
            },
        },
    },
    {
        "name": "Fundacja „Bałtycka Akademia Wolontariatu”",
        "short_name": "Bałtycka Akademia",
        "legal_form": "foundation",
        "krs": "0000298750",
        "nip": "5833194717",
        "regon": "226829433",
        "address": "ul. Wały Jagiellońskie 24, 80-853 Gdańsk",
        "email": "wolontariat@baltycka-akademia.demo",
        "phone": "+48 58 308 27 00",
        "website": "https://baltycka-akademia.demo",
        "description": (
            "Szkoli koordynatorów wolontariatu i prowadzi bazę ofert wolontariackich dla "
            "Trójmiasta i Torunia. Wspiera szkolne kluby wolontariusza."
        ),
        "areas": ["27", "14", "33"],
        "public_benefit": True,
        "cities": {
            "gdansk": {
                "status": "active",
                "tags": ["wolontariat", "edukacja"],
                "notes": "",
                "contact": "Karolina Zielińska",
                "fields": "szkolenia koordynatorów wolontariatu",
            },
            "sopot": {
                "status": "active",
                "tags": ["wolontariat"],
                "notes": "",
                "contact": "Karolina Zielińska",
                "fields": "baza ofert wolontariackich",
            },
            "torun": {
                "status": "active",
                "tags": ["wolontariat", "szkoły"],
                "notes": "Umowa partnerska na szkolne kluby wolontariusza.",
                "contact": "Filip Nowakowski",
                "fields": "szkolne kluby wolontariusza",
            },
        },
    },
    {
        "name": "Fundacja Inicjatyw Stoczniowych",
        "short_name": None,
        "legal_form": "foundation",
        "krs": "0001019421",
        "nip": "5842876617",
        "regon": "368268105",
        "address": "ul. Elektryków 5, 80-863 Gdańsk",
        "email": "kontakt@inicjatywy-stoczniowe.demo",
        "phone": "+48 518 882 947",
        "website": "https://inicjatywy-stoczniowe.demo",
        "description": (
            "Animuje życie kulturalne na terenach postoczniowych Młodego Miasta i dokumentuje "
            "historię pracowników stoczni. Uczestniczy w konsultacjach rewitalizacji."
        ),
        "areas": ["16", "32a", "4"],
        "public_benefit": False,
        "cities": {
            "gdansk": {
                "status": "active",
                "tags": ["kultura", "rewitalizacja"],
                "notes": "",
                "contact": "Tomasz Jabłoński",
                "fields": "wydarzenia kulturalne na terenach postoczniowych",
            },
        },
    },
    {
        "name": "Stowarzyszenie Lokatorów Dolnego Miasta",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000580835",
        "nip": "5837827214",
        "regon": "198162430",
        "address": "ul. Toruńska 18, 80-747 Gdańsk",
        "email": "lokatorzy@dolne-miasto.demo",
        "phone": "+48 516 218 994",
        "website": None,
        "description": (
            "Reprezentuje lokatorów mieszkań komunalnych Dolnego Miasta, prowadzi dyżury porad "
            "mieszkaniowych i sąsiedzkie akcje porządkowe."
        ),
        "areas": ["13", "1b", "32a"],
        "public_benefit": False,
        "cities": {
            "gdansk": {
                "status": "active",
                "tags": ["mieszkańcy", "rewitalizacja"],
                "notes": "Zgłosiło uwagi do programu współpracy na 2024 r.",
                "contact": "Wiesława Dąbrowska",
                "fields": "porady mieszkaniowe i akcje sąsiedzkie",
            },
        },
    },
    {
        "name": "Gdańskie Stowarzyszenie Żeglarskie „Szkwał”",
        "short_name": "Szkwał",
        "legal_form": "association",
        "krs": "0000061746",
        "nip": "9579321575",
        "regon": "220491915",
        "address": "ul. Przełom 9, 80-644 Gdańsk",
        "email": "szkwal@zeglarstwo-gdansk.demo",
        "phone": "+48 661 625 910",
        "website": "https://szkwal-gdansk.demo",
        "description": (
            "Szkoli dzieci i młodzież w żeglarstwie regatowym i organizuje rejsy szkoleniowe po "
            "Zatoce Gdańskiej."
        ),
        "areas": ["17", "15", "19"],
        "public_benefit": False,
        "cities": {
            "gdansk": {
                "status": "active",
                "tags": ["sport", "żeglarstwo"],
                "notes": "",
                "contact": "Jacek Szczepański",
                "fields": "szkolenia żeglarskie dla młodzieży",
            },
        },
    },
    {
        "name": "Fundacja Kaszubskiego Słowa",
        "short_name": None,
        "legal_form": "foundation",
        "krs": "0000418299",
        "nip": "2040051915",
        "regon": "226940410",
        "address": "ul. Straganiarska 20, 80-837 Gdańsk",
        "email": "slowo@kaszubskie-slowo.demo",
        "phone": "+48 58 526 76 86",
        "website": "https://kaszubskie-slowo.demo",
        "description": (
            "Wspiera naukę języka kaszubskiego i wydaje książki dla dzieci w języku regionalnym. "
            "Organizuje dyktando kaszubskie dla uczniów gdańskich szkół."
        ),
        "areas": ["5", "16", "14"],
        "public_benefit": True,
        "cities": {
            "gdansk": {
                "status": "active",
                "tags": ["język regionalny", "kultura"],
                "notes": "",
                "contact": "Krystyna Formela",
                "fields": "nauka języka kaszubskiego",
            },
        },
    },
    {
        "name": "Stowarzyszenie Sopockich Seniorów „Złota Jesień”",
        "short_name": "Złota Jesień",
        "legal_form": "association",
        "krs": "0000004129",
        "nip": "5852099196",
        "regon": "197073919",
        "address": "ul. Bohaterów Monte Cassino 30, 81-767 Sopot",
        "email": "zlota.jesien@seniorzy-sopot.demo",
        "phone": "+48 58 552 87 50",
        "website": None,
        "description": (
            "Prowadzi klub seniora z zajęciami ruchowymi, wieczorkami tanecznymi i kursem obsługi "
            "smartfona. Członkowie działają w Sopockiej Radzie Seniorów."
        ),
        "areas": ["10", "16"],
        "public_benefit": False,
        "cities": {
            "sopot": {
                "status": "active",
                "tags": ["seniorzy"],
                "notes": "",
                "contact": "Irena Lipińska",
                "fields": "klub seniora i zajęcia ruchowe",
            },
        },
    },
    {
        "name": "Fundacja „Morze Możliwości”",
        "short_name": "Morze Możliwości",
        "legal_form": "foundation",
        "krs": "0000797424",
        "nip": "5857554297",
        "regon": "366961530",
        "address": "ul. Chopina 12, 81-786 Sopot",
        "email": "rejsy@morze-mozliwosci.demo",
        "phone": "+48 516 537 777",
        "website": "https://morze-mozliwosci.demo",
        "description": (
            "Organizuje rejsy i zajęcia żeglarskie dla osób z niepełnosprawnościami ruchowymi oraz "
            "szkoli wolontariuszy-asystentów."
        ),
        "areas": ["7", "17", "27"],
        "public_benefit": True,
        "cities": {
            "sopot": {
                "status": "active",
                "tags": ["niepełnosprawność", "sport"],
                "notes": "Oferta w trybie małego grantu na lipiec.",
                "contact": "Kamil Orłowski",
                "fields": "rejsy dla osób z niepełnosprawnościami",
            },
        },
    },
    {
        "name": "Kujawsko-Pomorskie Towarzystwo Przyjaciół Dzieci – Oddział Miejski w Toruniu",
        "short_name": "TPD Toruń",
        "legal_form": "association",
        "krs": "0000133757",
        "nip": "8792638566",
        "regon": "34659125000040",
        "address": "ul. Legionów 48, 87-100 Toruń",
        "email": "oddzial.torun@kptpd.demo",
        "phone": "+48 56 661 94 21",
        "website": "https://kptpd.demo",
        "description": (
            "Oddział z własną osobowością prawną prowadzi ogniska wychowawcze i półkolonie dla "
            "dzieci z toruńskich osiedli."
        ),
        "areas": ["15", "31", "1a"],
        "public_benefit": True,
        "cities": {
            "torun": {
                "status": "active",
                "tags": ["dzieci", "wypoczynek"],
                "notes": "Półkolonie zimowe 2024 — oferta w konkursie.",
                "contact": "Urszula Kamińska",
                "fields": "ogniska wychowawcze i półkolonie",
            },
        },
    },
    {
        "name": "Fundacja „Piernikowe Miasto”",
        "short_name": "Piernikowe Miasto",
        "legal_form": "foundation",
        "krs": "0000755074",
        "nip": "9563618700",
        "regon": "348949536",
        "address": "ul. Żeglarska 8, 87-100 Toruń",
        "email": "kontakt@piernikowe-miasto.demo",
        "phone": "+48 883 709 663",
        "website": "https://piernikowe-miasto.demo",
        "description": (
            "Popularyzuje tradycję toruńskiego piernikarstwa, prowadzi warsztaty dla rodzin i "
            "turystów oraz współtworzy jarmark bożonarodzeniowy."
        ),
        "areas": ["16", "19", "4"],
        "public_benefit": False,
        "cities": {
            "torun": {
                "status": "active",
                "tags": ["kultura", "turystyka"],
                "notes": "",
                "contact": "Justyna Pawłowska",
                "fields": "warsztaty piernikarskie i jarmark",
            },
        },
    },
    {
        "name": "Toruńskie Stowarzyszenie Miłośników Astronomii „Orbita”",
        "short_name": "Orbita",
        "legal_form": "association",
        "krs": "0000062516",
        "nip": "8798221749",
        "regon": "874998177",
        "address": "ul. Szosa Chełmińska 120, 87-100 Toruń",
        "email": "orbita@astronomia-torun.demo",
        "phone": "+48 603 675 614",
        "website": "https://orbita-torun.demo",
        "description": (
            "Organizuje pokazy nieba, obozy obserwacyjne i koło astronomiczne dla uczniów. "
            "Współpracuje z toruńskim planetarium przy popularyzacji nauki."
        ),
        "areas": ["14", "12", "15"],
        "public_benefit": False,
        "cities": {
            "torun": {
                "status": "active",
                "tags": ["edukacja", "nauka"],
                "notes": "",
                "contact": "Grzegorz Sikorski",
                "fields": "pokazy nieba i koło astronomiczne",
            },
        },
    },
    {
        "name": "Stowarzyszenie zwykłe „Rowerowy Toruń”",
        "short_name": "Rowerowy Toruń",
        "legal_form": "ordinary_association",
        "krs": None,
        "nip": "9562011918",
        "regon": "386170987",
        "address": "ul. Bydgoska 50, 87-100 Toruń",
        "email": "kontakt@rowerowy-torun.demo",
        "phone": "+48 662 370 534",
        "website": "https://rowerowy-torun.demo",
        "description": (
            "Grupa rowerzystów działająca od 2022 r. jako stowarzyszenie zwykłe. Organizuje "
            "wspólne przejazdy i opiniuje projekty infrastruktury rowerowej."
        ),
        "areas": ["17", "18", "13"],
        "public_benefit": False,
        "cities": {
            "torun": {
                "status": "active",
                "tags": ["rowery", "transport"],
                "notes": "Stowarzyszenie zwykłe — bez KRS, reprezentuje przedstawiciel.",
                "contact": "Mateusz Wieczorek",
                "fields": "przejazdy rowerowe i opinie o ścieżkach",
            },
        },
    },
    {
        "name": "Żyrardowska Federacja Organizacji Społecznych „DZIAŁAJ.MY”",
        "short_name": "DZIAŁAJ.MY",
        "legal_form": "association",
        "krs": "0000532442",
        "nip": "8384389292",
        "regon": "147722570",
        "address": "ul. 1 Maja 45, 96-300 Żyrardów",
        "email": "federacja@dzialajmy.demo",
        "phone": "+48 505 147 890",
        "website": "https://dzialajmy.demo",
        "description": (
            "Federacja zrzesza żyrardowskie stowarzyszenia i fundacje, reprezentuje je wobec "
            "samorządu i prowadzi doradztwo dla organizacji. Współorganizowała projekt „Pomost do "
            "współpracy” z wizytą studyjną o współpracy w Gdańsku i Sopocie."
        ),
        "areas": ["33", "13", "22"],
        "public_benefit": True,
        "cities": {
            "zyrardow": {
                "status": "active",
                "tags": ["federacja", "wsparcie ngo"],
                "notes": "Postuluje powołanie Rady Działalności Pożytku Publicznego.",
                "contact": "Aleksandra Sadowska",
                "fields": "rzecznictwo i doradztwo dla organizacji",
            },
        },
    },
    {
        "name": "Mariański Ruch Inicjatyw Ekonomiczno-Społecznych",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000552189",
        "nip": "8388768069",
        "regon": "750517001",
        "address": "ul. Narutowicza 12, 96-300 Żyrardów",
        "email": "biuro@mries.demo",
        "phone": "+48 46 855 37 74",
        "website": "https://mries.demo",
        "description": (
            "Wspiera inicjatywy ekonomii społecznej i aktywizację zawodową mieszkańców Żyrardowa. "
            "Partner projektu „Pomost do współpracy”."
        ),
        "areas": ["11", "8", "2"],
        "public_benefit": False,
        "cities": {
            "zyrardow": {
                "status": "active",
                "tags": ["ekonomia społeczna", "rynek pracy"],
                "notes": "",
                "contact": "Jerzy Kołodziejczyk",
                "fields": "aktywizacja zawodowa i ekonomia społeczna",
            },
        },
    },
    {
        "name": "Stowarzyszenie Wspólnoty Żyrardowa",
        "short_name": None,
        "legal_form": "association",
        "krs": "0000313015",
        "nip": "8382949203",
        "regon": "140745770",
        "address": "ul. Limanowskiego 38, 96-300 Żyrardów",
        "email": "wspolnota@wspolnoty-zyrardowa.demo",
        "phone": "+48 46 850 06 74",
        "website": None,
        "description": (
            "Angażuje mieszkańców w sprawy miasta: prowadzi spotkania sąsiedzkie, monitoruje "
            "program rewitalizacji i zachęca do udziału w konsultacjach. Partner projektu „Pomost "
            "do współpracy”."
        ),
        "areas": ["13", "32a", "22"],
        "public_benefit": False,
        "cities": {
            "zyrardow": {
                "status": "active",
                "tags": ["rewitalizacja", "partycypacja"],
                "notes": "",
                "contact": "Elżbieta Szewczyk",
                "fields": "spotkania sąsiedzkie i monitoring rewitalizacji",
            },
        },
    },
    {
        "name": "Żyrardowskie Stowarzyszenie Rodzin Osób z Autyzmem „Tęczowy Most”",
        "short_name": "Tęczowy Most",
        "legal_form": "association",
        "krs": "0001020166",
        "nip": "8381244972",
        "regon": "360617664",
        "address": "ul. Mireckiego 7, 96-300 Żyrardów",
        "email": "kontakt@teczowy-most.demo",
        "phone": "+48 607 962 650",
        "website": "https://teczowy-most.demo",
        "description": (
            "Prowadzi terapię, zajęcia integracyjne i grupy wsparcia dla rodzin dzieci w spektrum "
            "autyzmu."
        ),
        "areas": ["7", "31", "6"],
        "public_benefit": True,
        "cities": {
            "zyrardow": {
                "status": "active",
                "tags": ["niepełnosprawność", "rodzina"],
                "notes": "",
                "contact": "Anna Kubiak",
                "fields": "terapia i grupy wsparcia dla rodzin",
            },
        },
    },
    # Added by Leszno's office a week ago; nobody acts for it in Razem yet: a newcomer signs
    # up, finds it by its KRS (printed by `make run`) and asks to act for it.
    {
        "name": "Stowarzyszenie Sąsiedzi z Zatorza",
        "short_name": "Sąsiedzi z Zatorza",
        "legal_form": "association",
        "krs": CLAIMABLE_KRS,
        "nip": "6972309159",
        "regon": "523184707",
        "address": "ul. Kąkolewska 12, 64-100 Leszno",
        "email": "sasiedzi.zatorze@poczta.demo",
        "phone": None,
        "website": None,
        "description": (
            "Mieszkańcy Zatorza razem sprzątają podwórka, prowadzą sąsiedzką wymianę rzeczy "
            "i organizują festyn na osiedlu."
        ),
        "areas": ["13", "18"],
        "public_benefit": False,
        "cities": {
            "leszno": {
                "status": "active",
                "tags": ["osiedle"],
                "notes": "Nowa organizacja — zaprosić przedstawiciela do Razem.",
                "contact": None,
                "fields": "działania sąsiedzkie na Zatorzu",
            },
        },
    },
)
