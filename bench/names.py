"""Polish words the regional data set is made of: Wielkopolska's towns and gminas, the kinds of
organisations of seeds 000–004 and what they write."""

TOWNS = """Poznań Kalisz Konin Piła Ostrów_Wielkopolski Gniezno Leszno Śrem Września Krotoszyn
Turek Gostyń Słupca Jarocin Kościan Chodzież Oborniki Wągrowiec Szamotuły Międzychód
Grodzisk_Wielkopolski Nowy_Tomyśl Wolsztyn Rawicz Kępno Ostrzeszów Pleszew Koło Złotów Czarnków
Trzcianka Swarzędz Luboń Mosina Puszczykowo Kórnik Murowana_Goślina Czerwonak Suchy_Las
Tarnowo_Podgórne Dopiewo Komorniki Stęszew Buk Kostrzyn Pobiedziska Kleszczewo Rokietnica Skoki
Środa_Wielkopolska Zaniemyśl Książ_Wielkopolski Dolsk Czempiń Śmigiel Krzywiń Rydzyna Osieczna
Krzemieniewo Lipno Święciechowa Wijewo Włoszakowice Przemęt Siedlec Rakoniewice Wielichowo
Kamieniec Granowo Opalenica Zbąszyń Kuślin Lwówek Miedzichowo Pniewy Kwilcz Sieraków
Chrzypsko_Wielkie Wronki Obrzycko Ostroróg Duszniki Kaźmierz Rogoźno Ryczywół Budzyń Margonin
Szamocin Ujście Kaczory Wyrzysk Wysoka Łobżenica Krajenka Jastrowie Okonek Tarnówka Lipka
Zakrzewo Krzyż_Wielkopolski Wieleń Drawsko Lubasz Połajewo Mieścisko Damasławek Gołańcz Wapno
Kiszkowo Kłecko Witkowo Trzemeszno Mieleszyn Niechanowo Czerniejewo Łubowo Nekla Miłosław
Kołaczkowo Pyzdry Zagórów Lądek Strzałkowo Powidz Ostrowite Orchowo Wilczyn Kleczew Ślesin
Sompolno Wierzbinek Skulsk Kramsk Kazimierz_Biskupi Golina Rzgów Stare_Miasto Tuliszków
Władysławów Malanów Dobra Przykona Brudzew Kawęczyn Grodziec Rychwał Stawiszyn Blizanów
Żelazków Opatówek Koźminek Szczytniki Ceków-Kolonia Lisków Mycielin Godziesze_Wielkie
Nowe_Skalmierzyce Raszków Odolanów Sośnie Przygodzice Sieroszewice""".replace("_", " ").split()

ORGANISATION_KINDS = (
    ("Stowarzyszenie", "association"),
    ("Fundacja", "foundation"),
    ("Stowarzyszenie zwykłe", "ordinary_association"),
    ("Spółdzielnia Socjalna", "social_cooperative"),
    ("Koło Gospodyń Wiejskich", "rural_housewives_circle"),
    ("Uczniowski Klub Sportowy", "student_sports_club"),
    ("Towarzystwo", "association"),
    ("Fundacja Pomocy", "foundation"),
)
PURPOSES = (
    "Przyjaciół Ziemi",
    "Rozwoju Wsi",
    "Seniorów",
    "na rzecz Osób z Niepełnosprawnością",
    "Miłośników Historii",
    "Pomocy Dzieciom",
    "Kultury i Sztuki",
    "Ekologiczne",
    "Sportowe",
    "Rodzin Zastępczych",
    "Wolontariatu",
    "Edukacji Obywatelskiej",
    "Aktywnych Kobiet",
    "Młodzieży",
    "Ochrony Zwierząt",
    "Turystyki Rowerowej",
)
NICKNAMES = (
    "Promyk",
    "Źródło",
    "Gniazdo",
    "Jedynka",
    "Razem",
    "Przystań",
    "Tęcza",
    "Horyzont",
    "Sąsiedzi",
    "Złota Jesień",
    "Orlik",
    "Kłos",
    "Wrzos",
    "Ostoja",
    "Pod Lipami",
    "Dobre Miejsce",
)
PEOPLE = (
    "Anna Szymańska",
    "Barbara Grygier",
    "Hanna Hendrysiak",
    "Piotr Zieliński",
    "Katarzyna Wiśniewska",
    "Tomasz Nowak",
    "Agnieszka Kaczmarek",
    "Marek Wójcik",
    "Ewa Mazur",
    "Paweł Krawczyk",
    "Małgorzata Piotrowska",
    "Krzysztof Grabowski",
    "Joanna Pawłowska",
    "Michał Michalski",
    "Zofia Nowicka",
    "Łukasz Adamczyk",
)
PROPOSALS = (
    "Dodać do zadań priorytetowych organizację wypoczynku letniego dla dzieci z rodzin "
    "w trudnej sytuacji.",
    "Zwiększyć pulę środków na małe granty (art. 19a) i uprościć ich rozliczanie.",
    "Wprowadzić coroczne spotkanie konsultacyjne z organizacjami seniorów przed konkursem.",
    "Uwzględnić wsparcie lokalowe dla organizacji działających na rzecz osób "
    "z niepełnosprawnością.",
    "Przewidzieć konkurs na działania ekologiczne prowadzone wspólnie ze szkołami.",
    "Zapisać obowiązek publikowania wyników konkursów wraz z uzasadnieniem oceny ofert.",
)
COMMENTS = (
    "Proponujemy doprecyzować cele szczegółowe i wskazać mierniki ich realizacji.",
    "Wnosimy o wydłużenie terminu składania ofert do 30 dni.",
    "Prosimy o dopisanie organizacji pozarządowych do składu komisji konkursowych.",
    "Budżet programu powinien wzrosnąć co najmniej o wskaźnik inflacji.",
    "Brakuje zapisu o inicjatywie lokalnej jako formie współpracy.",
)
MEETING_TITLES = (
    "Spotkanie z organizacjami pozarządowymi: analiza SWOT",
    "Konsultacje projektu programu współpracy",
    "Posiedzenie Rady Działalności Pożytku Publicznego",
    "Spotkanie zespołu branżowego ds. kultury",
    "Forum organizacji pozarządowych",
    "Szkolenie z rozliczania dotacji",
    "Wizyta studyjna w centrum organizacji pozarządowych",
)
AGENDA = (
    "Powitanie uczestników i przedstawienie celu spotkania",
    "Podsumowanie realizacji programu współpracy za ubiegły rok",
    "Analiza SWOT współpracy miasta z organizacjami",
    "Propozycje zapisów do programu na kolejny rok",
    "Sprawy różne i wolne wnioski",
)
DECISIONS = (
    "Przekazać propozycje zapisów do komórek merytorycznych Urzędu.",
    "Opublikować protokół na stronie miasta w ciągu 14 dni.",
    "Przygotować harmonogram konkursów ofert na kolejny rok.",
    "Zwołać spotkanie zespołu branżowego ds. seniorów.",
)
SECTIONS = {
    "goals": "Celem głównym programu jest budowanie partnerstwa między samorządem "
    "a organizacjami pozarządowymi oraz wzmacnianie aktywności obywatelskiej mieszkańców.",
    "scope": "Współpraca obejmuje sferę zadań publicznych, o której mowa w art. 4 ust. 1 ustawy.",
    "implementation": "Program realizuje Biuro Pełnomocnika ds. Współpracy z Organizacjami "
    "Pozarządowymi wspólnie z komórkami organizacyjnymi Urzędu.",
    "evaluation": "Realizację programu ocenia się na podstawie wskaźników wymienionych "
    "w sprawozdaniu rocznym.",
    "creation": "Projekt programu powstał przy udziale organizacji pozarządowych i był "
    "przedmiotem konsultacji społecznych.",
    "commissions": "Komisje konkursowe powołuje Prezydent w drodze zarządzenia.",
}
STANDARD_BLOCKS = (
    "Partycypacja organizacji w tworzeniu polityk publicznych",
    "Współpraca finansowa",
    "Współpraca pozafinansowa",
    "Infrastruktura współpracy",
    "Informacja i komunikacja",
)
STANDARD_TOPICS = (
    "konsultacje społeczne aktów prawa miejscowego",
    "wieloletni program współpracy",
    "rada działalności pożytku publicznego",
    "regranting i małe granty",
    "centrum organizacji pozarządowych",
    "udostępnianie lokali organizacjom",
    "zespoły branżowe",
    "baza organizacji pozarządowych",
)
