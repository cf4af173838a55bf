//! A deterministic generator of synthetic Dutch parliamentary correspondence, for benchmarks.
//!
//! `generate(n, seed, out)` writes `n` letters as `out/content/<dossier>/<id>.md` and a
//! `corpus-stats.json`; the same `n` and seed always give the same bytes. The corpus has the shape
//! that matters for speed and size: dossier sizes drawn from a log-normal distribution (median
//! about 9 letters, a long tail up to 900), about 60% of letters replying to an earlier letter in
//! their dossier (mostly the one just before), committees writing to ministers with reply deadlines,
//! ministers changing with four cabinets, 300 tags of Zipf-like popularity, and bodies of 300 to
//! 1,500 words (mode 500) with headings, lists, links, citations and footnotes drawn from a
//! vocabulary of a few thousand words, compounds included.
//!
//! Used by `examples/gen_corpus.rs` (the command line) and by the benchmarks, which include this
//! file with `#[path]`; it needs nothing but the standard library.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// What was generated, written to `corpus-stats.json`.
#[derive(Debug, Default)]
pub struct Stats {
    pub letters: usize,
    pub dossiers: usize,
    pub replies: usize,
    pub bytes: usize,
    pub words: usize,
    pub max_dossier: usize,
    pub correspondents: usize,
    pub tags: usize,
}

impl Stats {
    fn to_json(&self, seed: u64) -> String {
        format!(
            "{{\"bytes\": {}, \"correspondents\": {}, \"dossiers\": {}, \"letters\": {}, \
             \"max_dossier\": {}, \"replies\": {}, \"seed\": {seed}, \"tags\": {}, \"words\": {}}}\n",
            self.bytes,
            self.correspondents,
            self.dossiers,
            self.letters,
            self.max_dossier,
            self.replies,
            self.tags,
            self.words
        )
    }
}

/// The `site.toml` a corpus gets when it has none, so that `postkamer build --root OUT` works.
const SITE_TOML: &str = "title = \"Benchmark\"\nbase_url = \"/\"\n\n[archive]\nchamber = \"I\"\n";

/// Writes a corpus of `n` letters under `out/content/`, and a `site.toml` when there is none.
/// Refuses a `content/` that is not empty.
pub fn generate(n: usize, seed: u64, out: &Path) -> io::Result<Stats> {
    let content = out.join("content");
    if fs::read_dir(&content).is_ok_and(|mut d| d.next().is_some()) {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; remove it first", content.display()),
        ));
    }
    fs::create_dir_all(&content)?;
    let mut generator = Generator::new(n, seed);
    let stats = generator.run(&content)?;
    fs::write(out.join("corpus-stats.json"), stats.to_json(seed))?;
    let site = out.join("site.toml");
    if !site.exists() {
        fs::write(site, SITE_TOML)?;
    }
    Ok(stats)
}

/// SplitMix64: small, fast and the same on every platform, which is all a corpus needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An integer in `lo..hi` (`hi > lo`).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len())]
    }

    fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    fn triangular(&mut self, lo: f64, hi: f64, mode: f64) -> f64 {
        let u = self.unit();
        let c = (mode - lo) / (hi - lo);
        if u < c {
            lo + (u * (hi - lo) * (mode - lo)).sqrt()
        } else {
            hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
        }
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.range(0, i + 1));
        }
    }

    /// An index drawn with the given (unnormalised) weights.
    fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let x = self.unit() * cumulative.last().copied().unwrap_or(0.0);
        cumulative
            .partition_point(|&c| c <= x)
            .min(cumulative.len() - 1)
    }
}

/// A day as days since 1970-01-01, so dates need no crate.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day(i64);

impl Day {
    fn from_ymd(y: i64, m: i64, d: i64) -> Day {
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    fn ymd(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    fn dutch(self) -> String {
        let (y, m, d) = self.ymd();
        format!(
            "{d} {} {y}",
            postkamer::archive::reference::DUTCH_MONTHS[(m - 1) as usize]
        )
    }

    /// The parliamentary session (vergaderjaar) as written in citations: `2025/26`.
    fn session(self) -> String {
        let (y, m, _) = self.ymd();
        let start = if m >= 9 { y } else { y - 1 };
        format!("{start}/{:02}", (start + 1) % 100)
    }
}

/// `0 → A`, `25 → Z`, `26 → AA`: the lettering of a dossier.
fn letter_id(mut i: usize) -> String {
    let mut id = Vec::new();
    i += 1;
    while i > 0 {
        id.push(b'A' + ((i - 1) % 26) as u8);
        i = (i - 1) / 26;
    }
    id.reverse();
    String::from_utf8(id).expect("ASCII letters")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[rustfmt::skip]
mod words {
    //! Our own small Dutch vocabulary of officialese. Nouns are split by article (de/het)
    //! because the article shows in every noun phrase.

    pub const NOUNS_DE: &str = "wet regering minister staatssecretaris commissie kamer brief vraag \
        reactie motie toezegging uitvoering gemeente provincie burger organisatie procedure termijn \
        beslissing evaluatie aanbeveling maatregel wijziging bepaling regeling richtlijn raad rechter \
        rechtspraak ombudsman inspectie dienst overheid samenleving toelichting nota vergadering \
        behandeling inbreng opvang huisvesting zorg jeugdzorg veiligheid politie toeslag belasting \
        begroting financiering capaciteit achterstand werkdruk consultatie afweging bevoegdheid \
        verantwoordelijkheid verplichting grondslag rechtsbescherming privacy gegevensverwerking \
        digitalisering woningbouw energietransitie arbeidsmarkt school universiteit rechtsstaat \
        democratie transparantie openbaarheid uitspraak zienswijze klacht asielaanvraag vreemdeling \
        naturalisatie verblijfsvergunning gezinshereniging toegankelijkheid bestaanszekerheid armoede \
        schuldhulp bijstand uitkering huurtoeslag kinderopvang leerplicht gezondheidszorg huisarts \
        wachtlijst vergunning handhaving omgevingswet grondwet herziening aanpassing spreiding instroom \
        uitstroom terugkeer samenwerking coördinatie afstemming verantwoording rapportage monitoring \
        planning voorbereiding besluitvorming ondersteuning begeleiding bescherming inzet aanpak \
        strategie visie rol positie bijdrage ervaring verwachting toepassing uitwerking kwaliteit \
        effectiviteit doelmatigheid rechtmatigheid uitvoerbaarheid proportionaliteit noodzaak urgentie";

    pub const NOUNS_HET: &str = "wetsvoorstel voorstel advies verslag antwoord kabinet ministerie \
        beleid besluit onderzoek rapport overleg debat amendement standpunt uitgangspunt belang \
        probleem risico toezicht stelsel systeem budget bedrag tekort knelpunt traject proces plan \
        programma initiatief verdrag commissiedebat college bestuur parlement hoofdstuk artikel \
        onderdeel jaar kwartaal moment aantal percentage gesprek oordeel inzicht overzicht kader \
        akkoord convenant protocol register loket instrument effect gevolg resultaat doel verzoek \
        bezwaar beroep vonnis arrest vertrouwen draagvlak evenwicht perspectief actieplan \
        werkprogramma vervolg toetsingskader beleidskader verbeterplan herstelproces";

    /// (undeclined, declined)
    pub const ADJECTIVES: &[(&str, &str)] = &[
        ("belangrijk", "belangrijke"), ("noodzakelijk", "noodzakelijke"),
        ("zorgvuldig", "zorgvuldige"), ("tijdig", "tijdige"), ("voldoende", "voldoende"),
        ("aanzienlijk", "aanzienlijke"), ("structureel", "structurele"),
        ("tijdelijk", "tijdelijke"), ("juridisch", "juridische"), ("financieel", "financiële"),
        ("maatschappelijk", "maatschappelijke"), ("bestuurlijk", "bestuurlijke"),
        ("praktisch", "praktische"), ("uitvoerbaar", "uitvoerbare"), ("effectief", "effectieve"),
        ("duidelijk", "duidelijke"), ("redelijk", "redelijke"), ("passend", "passende"),
        ("concreet", "concrete"), ("huidig", "huidige"), ("nieuw", "nieuwe"),
        ("bestaand", "bestaande"), ("gemeentelijk", "gemeentelijke"), ("landelijk", "landelijke"),
        ("regionaal", "regionale"), ("Europees", "Europese"), ("digitaal", "digitale"),
        ("groot", "grote"), ("beperkt", "beperkte"), ("aanvullend", "aanvullende"),
        ("gezamenlijk", "gezamenlijke"), ("specifiek", "specifieke"), ("openbaar", "openbare"),
        ("kwetsbaar", "kwetsbare"), ("wettelijk", "wettelijke"), ("sociaal", "sociale"),
        ("economisch", "economische"), ("inhoudelijk", "inhoudelijke"),
        ("definitief", "definitieve"), ("voorlopig", "voorlopige"), ("recent", "recente"),
        ("relevant", "relevante"), ("adequaat", "adequate"), ("transparant", "transparante"),
        ("robuust", "robuuste"), ("toereikend", "toereikende"), ("ontoereikend", "ontoereikende"),
    ];

    pub const ADVERBS: &[&str] = &[
        "nadrukkelijk", "zorgvuldig", "tijdig", "voortvarend", "spoedig", "uiteindelijk",
        "inmiddels", "vooralsnog", "bovendien", "daarnaast", "eveneens", "echter", "overigens",
        "derhalve", "grotendeels", "gedeeltelijk", "volledig", "nauwelijks", "structureel",
        "jaarlijks", "zo snel mogelijk", "met voorrang", "in samenhang", "op korte termijn",
    ];

    /// (third person singular, plural, past participle)
    pub const VERBS: &[(&str, &str, &str)] = &[
        ("beoordeelt", "beoordelen", "beoordeeld"), ("onderzoekt", "onderzoeken", "onderzocht"),
        ("wijzigt", "wijzigen", "gewijzigd"), ("informeert", "informeren", "geïnformeerd"),
        ("neemt", "nemen", "genomen"), ("verwacht", "verwachten", "verwacht"),
        ("beantwoordt", "beantwoorden", "beantwoord"), ("bespreekt", "bespreken", "besproken"),
        ("evalueert", "evalueren", "geëvalueerd"), ("waarborgt", "waarborgen", "gewaarborgd"),
        ("versterkt", "versterken", "versterkt"), ("onderbouwt", "onderbouwen", "onderbouwd"),
        ("herziet", "herzien", "herzien"), ("betrekt", "betrekken", "betrokken"),
        ("beschrijft", "beschrijven", "beschreven"), ("verbetert", "verbeteren", "verbeterd"),
        ("beperkt", "beperken", "beperkt"), ("regelt", "regelen", "geregeld"),
        ("behandelt", "behandelen", "behandeld"), ("ondersteunt", "ondersteunen", "ondersteund"),
        ("verankert", "verankeren", "verankerd"), ("bekijkt", "bekijken", "bekeken"),
        ("verkent", "verkennen", "verkend"), ("toetst", "toetsen", "getoetst"),
        ("weegt", "wegen", "gewogen"), ("financiert", "financieren", "gefinancierd"),
        ("coördineert", "coördineren", "gecoördineerd"),
        ("publiceert", "publiceren", "gepubliceerd"),
    ];

    /// First parts of compounds; each joins every head below.
    pub const STEMS: &str = "asiel uitvoerings beleids wets rechts gemeente overheids belasting zorg \
        jeugd woning energie klimaat arbeids pensioen onderwijs veiligheids privacy migratie opvang \
        toezicht informatie financierings begrotings verkiezings bestuurs burger kinder gezondheids \
        landbouw natuur water verkeers spoor defensie handels integratie inburgerings studie huur \
        grond milieu stikstof data cyber straf vreemdelingen toeslagen herstel compensatie schade gas \
        mijnbouw visserij voedsel sport cultuur erfgoed media kies grens politie justitie slachtoffer \
        armoede schuld bijstands participatie ouderen mantelzorg ziekenhuis vaccinatie crisis rampen";

    /// (article, head) of compounds.
    pub const HEADS: &[(&str, &str)] = &[
        ("de", "wet"), ("de", "regeling"), ("de", "procedure"), ("het", "beleid"),
        ("de", "organisatie"), ("de", "keten"), ("het", "stelsel"), ("de", "termijn"),
        ("de", "kosten"), ("de", "capaciteit"), ("het", "plan"), ("de", "agenda"),
        ("het", "traject"), ("de", "opgave"), ("de", "maatregel"), ("de", "voorziening"),
        ("de", "instelling"), ("het", "systeem"), ("het", "register"), ("de", "toets"),
        ("het", "kader"), ("het", "besluit"), ("het", "fonds"), ("het", "tekort"), ("de", "norm"),
        ("het", "overleg"), ("het", "akkoord"), ("het", "programma"), ("de", "taak"),
        ("het", "recht"), ("de", "melding"), ("het", "signaal"), ("de", "rapportage"),
        ("de", "monitor"), ("de", "evaluatie"), ("de", "aanpak"), ("de", "markt"), ("de", "sector"),
        ("het", "loket"), ("de", "autoriteit"), ("de", "problematiek"), ("de", "achterstand"),
        ("de", "hervorming"), ("de", "locatie"), ("de", "instroom"), ("het", "vraagstuk"),
    ];

    pub const PARTIES: &[&str] = &[
        "VVD", "PVV", "GroenLinks-PvdA", "CDA", "D66", "SP", "ChristenUnie", "SGP", "PvdD", "BBB",
        "JA21", "Volt", "FvD", "50PLUS", "OPNL",
    ];

    pub const SURNAMES: &[&str] = &[
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit",
        "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
        "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer", "Kok",
        "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "de Bruijn",
        "van der Heijden", "Schouten", "van Beek", "Willems", "Hoekstra", "Maas", "Verhoeven",
        "Koster", "van Dam", "Prins", "Blom", "Huisman", "Kuipers", "Post", "Kramer", "Scholten",
        "van Wijk", "Postma", "Vink", "de Ruiter", "Groen", "Jonker", "van Loon", "Smeets",
        "de Lange", "Bosch", "Schipper", "de Koning", "van der Laan", "Driessen", "Hermans",
        "Evers", "Hofman", "Bosman", "Wolters", "Molenaar", "Verbeek", "Wouters", "Zwart",
        "van Rijn", "Westra", "Nijhuis", "Ramdin", "Yilmaz", "El Amrani", "Kaya", "Bennani",
        "Pinas", "Nguyen", "Tan", "Çelik", "Öztürk",
    ];

    pub const INITIALS: &[&str] = &[
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "P", "R", "S", "T",
        "W",
    ];

    pub const COMMITTEES: &[&str] = &[
        "Immigratie en Asiel / JBZ-Raad", "Justitie en Veiligheid", "Binnenlandse Zaken",
        "Financiën", "Volksgezondheid, Welzijn en Sport", "Onderwijs, Cultuur en Wetenschap",
        "Economische Zaken en Klimaat / Groene Groei", "Infrastructuur, Waterstaat en Omgeving",
        "Sociale Zaken en Werkgelegenheid", "Landbouw, Natuur en Voedselkwaliteit",
        "Europese Zaken", "Buitenlandse Zaken, Defensie en Ontwikkelingssamenwerking",
        "Koninkrijksrelaties", "Digitalisering", "Volkshuisvesting en Ruimtelijke Ordening",
    ];

    /// (portfolio, the committee that mostly writes to it)
    pub const MINISTRIES: &[(&str, usize)] = &[
        ("Asiel en Migratie", 0), ("Justitie en Veiligheid", 1),
        ("Binnenlandse Zaken en Koninkrijksrelaties", 2), ("Financiën", 3),
        ("Volksgezondheid, Welzijn en Sport", 4), ("Onderwijs, Cultuur en Wetenschap", 5),
        ("Economische Zaken", 6), ("Klimaat en Groene Groei", 6),
        ("Infrastructuur en Waterstaat", 7), ("Sociale Zaken en Werkgelegenheid", 8),
        ("Landbouw, Visserij, Voedselzekerheid en Natuur", 9), ("Buitenlandse Zaken", 11),
        ("Defensie", 11), ("Volkshuisvesting en Ruimtelijke Ordening", 14),
    ];

    /// (organisation, short name, role of the person who signs)
    pub const BODIES: &[(&str, &str, &str)] = &[
        ("Vereniging van Nederlandse Gemeenten", "VNG", "voorzitter"),
        ("Interprovinciaal Overleg", "IPO", "voorzitter"),
        ("Unie van Waterschappen", "UvW", "voorzitter"),
        ("Nationale ombudsman", "Nationale ombudsman", "Nationale ombudsman"),
        ("Kinderombudsman", "Kinderombudsman", "Kinderombudsvrouw"),
        ("Raad van State, Afdeling advisering", "Raad van State", "vicepresident"),
        ("Algemene Rekenkamer", "Algemene Rekenkamer", "president"),
        ("Autoriteit Persoonsgegevens", "AP", "voorzitter"),
        ("College voor de Rechten van de Mens", "CRM", "voorzitter"),
        ("Raad voor de rechtspraak", "Rvdr", "voorzitter"),
        ("Nederlandse Orde van Advocaten", "NOvA", "algemeen deken"),
        ("Centraal Orgaan opvang asielzoekers", "COA", "voorzitter raad van bestuur"),
        ("Immigratie- en Naturalisatiedienst", "IND", "directeur-generaal"),
        ("UWV", "UWV", "voorzitter raad van bestuur"),
        ("Sociale Verzekeringsbank", "SVB", "voorzitter raad van bestuur"),
        ("Dienst Uitvoering Onderwijs", "DUO", "directeur-generaal"),
        ("Centraal Planbureau", "CPB", "directeur"),
        ("Sociaal en Cultureel Planbureau", "SCP", "directeur"),
        ("Kiesraad", "Kiesraad", "voorzitter"),
        ("Gezondheidsraad", "Gezondheidsraad", "voorzitter"),
        ("Nederlandse Zorgautoriteit", "NZa", "voorzitter raad van bestuur"),
        ("Autoriteit Consument en Markt", "ACM", "bestuursvoorzitter"),
        ("De Nederlandsche Bank", "DNB", "president"),
        ("Inspectie Justitie en Veiligheid", "Inspectie JenV", "inspecteur-generaal"),
        ("Federatie Nederlandse Vakbeweging", "FNV", "voorzitter"),
        ("VNO-NCW", "VNO-NCW", "voorzitter"), ("LTO Nederland", "LTO", "voorzitter"),
        ("Amnesty International Nederland", "Amnesty", "directeur"),
        ("Defence for Children", "Defence for Children", "directeur"),
        ("Aedes vereniging van woningcorporaties", "Aedes", "voorzitter"),
        ("ProRail", "ProRail", "president-directeur"),
        ("Openbaar Ministerie", "OM", "voorzitter College van procureurs-generaal"),
    ];

    pub const MUNICIPALITIES: &[&str] = &[
        "Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht", "Groningen", "Westerwolde",
        "Eindhoven", "Tilburg", "Almere", "Nijmegen", "Zwolle", "Leeuwarden", "Maastricht",
        "Middelburg",
    ];

    pub const TAGS: &str = "asielketen ombudsman spreidingswet gezinshereniging opvang terugkeer \
        naturalisatie vreemdelingenbewaring rechtsbescherming privacy avg toeslagenaffaire herstel \
        compensatie jeugdzorg ggz zorgverzekering pensioenen arbeidsmarkt flexwerk minimumloon bijstand \
        armoede schuldhulp huurtoeslag woningbouw stikstof natuurherstel klimaat energietransitie \
        gaswinning groningen waterveiligheid infrastructuur spoor luchtvaart omgevingswet onderwijs \
        leraren studiefinanciering wetenschap cultuur media digitalisering cybersecurity algoritmes \
        open-overheid woo rijksbegroting belastingen box3 eu-recht jbz-raad schengen migratiepact \
        defensie navo handelsbeleid koninkrijksrelaties caribisch-nederland politie strafrecht \
        gevangeniswezen slachtofferzorg rechtspraak rechtsbijstand grondwet kiesstelsel \
        decentralisatie gemeentefonds waterschappen integriteit transparantie wetgevingskwaliteit \
        uitvoeringstoets evaluatie subsidiariteit";

    pub const SUBJECTS: &[&str] = &[
        "Wijziging van de {law} in verband met {topic}", "Regels omtrent {topic}",
        "Evaluatie van de {law}",
        "Voorstel van wet tot wijziging van de {law} ter verbetering van {topic}",
        "Uitvoering van {topic}", "Stand van zaken {topic}",
        "Implementatie van de Europese richtlijn inzake {topic}", "Tijdelijke regels over {topic}",
    ];

    pub const LAWS: &[&str] = &[
        "Vreemdelingenwet 2000", "Participatiewet", "Omgevingswet", "Jeugdwet", "Wet open overheid",
        "Gemeentewet", "Wet toeslagen", "Pensioenwet", "Kieswet", "Mijnbouwwet",
        "Huisvestingswet 2014",
    ];

    pub const HEADINGS: &[&str] = &[
        "Inleiding", "Achtergrond", "Stand van zaken", "Reactie op de vragen", "Uitvoering",
        "Financiële gevolgen", "Vervolg", "Planning", "Overwegingen", "Gevolgen voor de uitvoering",
        "Rechtsbescherming", "Conclusie",
    ];
}

/// A person or body that writes or receives letters.
#[derive(Clone)]
struct Person {
    name: String,
    role: String,
    organisation: String,
}

/// Who takes part in a dossier, by role; ministers are looked up by date (cabinets change).
#[derive(Clone, Copy, PartialEq)]
enum Actor {
    Committee(usize, usize),
    Minister(usize),
    /// Half the ministries also have a state secretary (staatssecretaris).
    StateSecretary(usize),
    Body(usize),
    Mayor(usize),
}

/// The first days of the four cabinets the corpus spans.
const CABINETS: [(i64, i64, i64); 4] = [(2015, 1, 1), (2017, 10, 26), (2022, 1, 10), (2024, 7, 2)];

fn is_government(p: &Person) -> bool {
    p.role.starts_with("minister") || p.role.starts_with("staatssecretaris")
}

/// Which of the four cabinets was in office on `date`.
fn cabinet(date: Day) -> usize {
    CABINETS
        .iter()
        .rposition(|&(y, m, d)| Day::from_ymd(y, m, d) <= date)
        .unwrap_or(0)
}

struct Generator {
    n: usize,
    rng: Rng,
    nouns_de: Vec<&'static str>,
    nouns_het: Vec<&'static str>,
    compounds_de: Vec<String>,
    compounds_het: Vec<String>,
    tags: Vec<String>,
    tag_weights: Vec<f64>,
    committees: Vec<[Person; 2]>,
    ministers: Vec<[Person; 4]>,
    state_secretaries: Vec<Option<[Person; 4]>>,
    bodies: Vec<Vec<Person>>,
    mayors: Vec<Person>,
    dossier_numbers: Vec<String>,
    taken_names: std::collections::HashSet<String>,
}

/// What one letter's text generation needs to know.
struct Context<'a> {
    dossier: &'a str,
    date: Day,
    earlier: &'a [String],
    subject: &'a str,
    footnotes: usize,
    footnotes_used: usize,
}

impl Generator {
    fn new(n: usize, seed: u64) -> Generator {
        let mut rng = Rng(seed);
        let mut compounds: Vec<(&str, String)> = words::STEMS
            .split_whitespace()
            .flat_map(|stem| {
                words::HEADS
                    .iter()
                    .map(move |(a, h)| (*a, format!("{stem}{h}")))
            })
            .collect();
        rng.shuffle(&mut compounds);
        compounds.truncate(3200);
        let mut tags: Vec<String> = words::TAGS.split_whitespace().map(String::from).collect();
        for (_, word) in &compounds {
            if tags.len() >= 300 {
                break;
            }
            if word.len() <= 22 && !tags.contains(word) {
                tags.push(word.clone());
            }
        }
        let mut total = 0.0;
        let tag_weights = (0..tags.len())
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(0.8);
                total
            })
            .collect();
        let mut generator = Generator {
            n,
            rng,
            nouns_de: words::NOUNS_DE.split_whitespace().collect(),
            nouns_het: words::NOUNS_HET.split_whitespace().collect(),
            compounds_de: compounds
                .iter()
                .filter(|(a, _)| *a == "de")
                .map(|(_, w)| w.clone())
                .collect(),
            compounds_het: compounds
                .iter()
                .filter(|(a, _)| *a == "het")
                .map(|(_, w)| w.clone())
                .collect(),
            tags,
            tag_weights,
            committees: Vec::new(),
            ministers: Vec::new(),
            state_secretaries: Vec::new(),
            bodies: Vec::new(),
            mayors: Vec::new(),
            dossier_numbers: Vec::new(),
            taken_names: Default::default(),
        };
        generator.make_people();
        generator
    }

    fn person_name(&mut self) -> String {
        loop {
            let count = *self.rng.pick(&[1, 1, 2, 2, 3]);
            let mut initials = String::new();
            for _ in 0..count {
                let initial: &&str = self.rng.pick(words::INITIALS);
                initials.push_str(initial);
                initials.push('.');
            }
            let name = format!("{initials} {}", self.rng.pick(words::SURNAMES));
            if self.taken_names.insert(name.clone()) {
                return name;
            }
        }
    }

    fn person(&mut self, role: String, organisation: &str) -> Person {
        Person {
            name: self.person_name(),
            role,
            organisation: organisation.to_string(),
        }
    }

    fn make_people(&mut self) {
        let senate = "Eerste Kamer der Staten-Generaal";
        for committee in words::COMMITTEES {
            let chair = self.person(
                format!("voorzitter van de vaste commissie voor {committee}"),
                senate,
            );
            let clerk = self.person(
                format!("griffier van de vaste commissie voor {committee}"),
                senate,
            );
            self.committees.push([chair, clerk]);
        }
        for (portfolio, _) in words::MINISTRIES {
            let ministry = format!("Ministerie van {portfolio}");
            let holders = std::array::from_fn(|_| {
                self.person(format!("minister van {portfolio}"), &ministry)
            });
            self.ministers.push(holders);
            let secretaries = (self.ministers.len() % 2 == 1).then(|| {
                std::array::from_fn(|_| {
                    self.person(format!("staatssecretaris van {portfolio}"), &ministry)
                })
            });
            self.state_secretaries.push(secretaries);
        }
        for (i, (organisation, _, role)) in words::BODIES.iter().enumerate() {
            let mut people = vec![self.person(role.to_string(), organisation)];
            if i % 3 == 0 {
                people.push(self.person("directeur".into(), organisation));
            }
            self.bodies.push(people);
        }
        for town in words::MUNICIPALITIES {
            let mayor = self.person(
                format!("burgemeester van {town}"),
                &format!("Gemeente {town}"),
            );
            self.mayors.push(mayor);
        }
    }

    fn correspondents(&self) -> usize {
        self.committees.len() * 2
            + self.ministers.len() * 4
            + self.state_secretaries.iter().flatten().count() * 4
            + self.bodies.iter().map(Vec::len).sum::<usize>()
            + self.mayors.len()
    }

    fn resolve(&self, actor: Actor, date: Day) -> &Person {
        match actor {
            Actor::Committee(c, who) => &self.committees[c][who % 2],
            Actor::Minister(m) => &self.ministers[m][cabinet(date)],
            Actor::StateSecretary(m) => match &self.state_secretaries[m] {
                Some(holders) => &holders[cabinet(date)],
                None => &self.ministers[m][cabinet(date)],
            },
            Actor::Body(b) => &self.bodies[b][0],
            Actor::Mayor(g) => &self.mayors[g],
        }
    }

    fn noun_phrase(&mut self, definite: bool, adjective: Option<bool>) -> String {
        let compound = self.rng.chance(0.45);
        let (article, noun) = if self.rng.chance(0.62) {
            let noun = if compound {
                self.rng.pick(&self.compounds_de).clone()
            } else {
                self.rng.pick(&self.nouns_de).to_string()
            };
            ("de", noun)
        } else {
            let noun = if compound {
                self.rng.pick(&self.compounds_het).clone()
            } else {
                self.rng.pick(&self.nouns_het).to_string()
            };
            ("het", noun)
        };
        let adjective = adjective.unwrap_or_else(|| self.rng.chance(0.35));
        let noun = if adjective {
            let (plain, declined) = *self.rng.pick(words::ADJECTIVES);
            let form = if definite || article == "de" {
                declined
            } else {
                plain
            };
            format!("{form} {noun}")
        } else {
            noun
        };
        if definite {
            format!("{article} {noun}")
        } else {
            format!("een {noun}")
        }
    }

    fn np(&mut self) -> String {
        self.noun_phrase(true, None)
    }

    fn adjective(&mut self) -> &'static str {
        self.rng.pick(words::ADJECTIVES).0
    }

    fn adverb(&mut self) -> &'static str {
        let adverb: &&'static str = self.rng.pick(words::ADVERBS);
        adverb
    }

    fn sentence(&mut self, ctx: &Context) -> String {
        let (verb, plural, participle) = *self.rng.pick(words::VERBS);
        match self.rng.range(0, 20) {
            0 => format!(
                "{} van {} is {} en {}.",
                capitalise(&self.np()),
                self.np(),
                self.adjective(),
                self.adjective()
            ),
            1 => format!(
                "Het kabinet {verb} {} in het licht van {}.",
                self.np(),
                self.np()
            ),
            2 => format!(
                "In de memorie van antwoord is aangegeven dat {} {} wordt {participle}.",
                self.np(),
                self.adverb()
            ),
            3 => format!(
                "De leden van de fractie van {} vragen de regering of {} {} is.",
                self.rng.pick(words::PARTIES),
                self.np(),
                self.adjective()
            ),
            4 => {
                let by = ctx.date.plus(self.rng.range(14, 60) as i64).dutch();
                format!(
                    "De commissie verzoekt u haar uiterlijk {by} te informeren over {}.",
                    self.np()
                )
            }
            5 => format!(
                "Ik deel de opvatting dat {} {} moet zijn.",
                self.np(),
                self.adjective()
            ),
            6 => format!(
                "Daarbij is van belang dat {} niet leidt tot {}.",
                self.np(),
                self.noun_phrase(false, None)
            ),
            7 => {
                let debate = ctx.date.plus(-(self.rng.range(10, 200) as i64)).dutch();
                format!(
                    "Zoals toegezegd tijdens het debat van {debate} ontvangt u hierbij {}.",
                    self.np()
                )
            }
            8 => format!(
                "Uit het onderzoek van {} blijkt dat {} {} is {participle}.",
                self.rng.pick(words::BODIES).1,
                self.np(),
                self.adverb()
            ),
            9 => format!(
                "Voor {} betekent dit dat {} {} moet worden {participle}.",
                self.np(),
                self.np(),
                self.adverb()
            ),
            10 => format!(
                "De regering {verb} {} en {verb} daarbij {}.",
                self.np(),
                self.np()
            ),
            11 => format!(
                "Naar het oordeel van de commissie is {} op dit moment {}.",
                self.np(),
                self.adjective()
            ),
            12 => format!(
                "Dit vraagt om {} en om {}.",
                self.noun_phrase(false, Some(true)),
                self.noun_phrase(false, None)
            ),
            13 => {
                let (year, _, _) = ctx.date.ymd();
                let share = self.rng.range(3, 97);
                let before = share.saturating_sub(self.rng.range(1, 20)).max(1);
                format!(
                    "In {} ging het om {share} procent van {}, tegen {before} procent een jaar eerder.",
                    year - 1,
                    self.np()
                )
            }
            14 => format!(
                "Kunt u aangeven hoe {} zich verhoudt tot {}?",
                self.np(),
                self.np()
            ),
            15 => format!("Welke gevolgen heeft {} voor {}?", self.np(), self.np()),
            16 => format!(
                "Het ligt in de rede om {} te {plural} voordat {} wordt {participle}.",
                self.np(),
                self.np()
            ),
            17 => format!(
                "De leden van de {}-fractie hebben met belangstelling kennisgenomen van {}.",
                self.rng.pick(words::PARTIES),
                self.np()
            ),
            18 => format!(
                "Tegelijkertijd constateer ik dat {} {} {} blijft.",
                self.np(),
                self.adverb(),
                self.adjective()
            ),
            _ => {
                let earlier = ctx.date.plus(-(self.rng.range(20, 400) as i64)).dutch();
                format!("Bij brief van {earlier} is {} {participle}.", self.np())
            }
        }
    }

    fn citation(&mut self, ctx: &Context) -> String {
        let u = self.rng.unit();
        if u < 0.55 && !ctx.earlier.is_empty() {
            let id = self.rng.pick(ctx.earlier);
            return format!(
                "Kamerstukken I {}, {}, {id}",
                ctx.date.session(),
                ctx.dossier
            );
        }
        let other = self.rng.pick(&self.dossier_numbers).clone();
        if u < 0.75 {
            let when = ctx.date.plus(-(self.rng.range(0, 900) as i64)).session();
            return format!(
                "Kamerstukken II {when}, {other}, nr. {}",
                self.rng.range(1, 40)
            );
        }
        if u < 0.9 {
            let (nr, item) = (self.rng.range(1, 40), self.rng.range(1, 15));
            return format!(
                "Handelingen I {}, nr. {nr}, item {item}",
                ctx.date.session()
            );
        }
        format!(
            "Kamerstukken I {}, {other}, {}",
            ctx.date.session(),
            letter_id(self.rng.range(0, 12))
        )
    }

    fn paragraph(&mut self, ctx: &mut Context) -> String {
        let sentences = self.rng.range(3, 8);
        let mut out = String::new();
        for i in 0..sentences {
            let mut s = self.sentence(ctx);
            let u = self.rng.unit();
            if u < 0.08 {
                s.pop();
                let _ = write!(s, " ({}).", self.citation(ctx));
            } else if u < 0.12 && ctx.footnotes_used < ctx.footnotes {
                ctx.footnotes_used += 1;
                let _ = write!(s, "[^{}]", ctx.footnotes_used);
            }
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&s);
        }
        out
    }

    fn list(&mut self) -> String {
        let ordered = self.rng.chance(0.4);
        let items = self.rng.range(3, 6);
        let mut out = self
            .rng
            .pick(&[
                "Het gaat daarbij om de volgende punten:",
                "De commissie vraagt in het bijzonder aandacht voor:",
                "Concreet betekent dit:",
            ])
            .to_string();
        out.push_str("\n\n");
        for j in 0..items {
            let marker = if ordered {
                format!("{}. ", j + 1)
            } else {
                "- ".into()
            };
            let mut item = capitalise(&self.np());
            if self.rng.chance(0.5) {
                item.push(' ');
                item.push_str(self.rng.pick(words::VERBS).2);
            }
            let end = if j + 1 == items { "." } else { ";" };
            let _ = writeln!(out, "{marker}{item}{end}");
        }
        out.pop();
        out
    }

    fn link(&mut self, ctx: &Context) -> String {
        let (year, month, day) = ctx.date.ymd();
        let url = match self.rng.range(0, 3) {
            0 => format!("https://www.eerstekamer.nl/wetsvoorstel/{}", ctx.dossier),
            1 => format!(
                "https://zoek.officielebekendmakingen.nl/kst-{}-{}.html",
                ctx.dossier,
                self.rng.range(1, 30)
            ),
            _ => format!(
                "https://www.rijksoverheid.nl/documenten/kamerstukken/{year}/{month:02}/{day:02}/brief"
            ),
        };
        let text = self.rng.pick(&[
            "de toelichting",
            "het advies",
            "de wettekst",
            "het dossier",
            "de publicatie",
        ]);
        format!(" Zie ook [{text}]({url}).")
    }

    fn body(
        &mut self,
        ctx: &mut Context,
        target_words: usize,
        sender: &Person,
        recipient: &Person,
        parent: Option<(Day, &str)>,
    ) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.push(if recipient.role.contains("commissie") {
            "Geachte voorzitter,".into()
        } else if recipient.role.starts_with("minister") {
            "Geachte minister,".into()
        } else if recipient.role.starts_with("staatssecretaris") {
            "Geachte staatssecretaris,".into()
        } else {
            format!(
                "Geachte heer, mevrouw {},",
                recipient.name.split_once(' ').map_or("", |(_, s)| s)
            )
        });
        parts.push(match parent {
            Some((date, id)) => format!(
                "Naar aanleiding van uw brief van {} (Kamerstukken I {}, {}, {id}) over {} bericht ik u als volgt.",
                date.dutch(),
                date.session(),
                ctx.dossier,
                ctx.subject
            ),
            None => format!("Met deze brief {} u over {}.", self.rng.pick(&["informeer ik", "bericht ik", "benader ik"]), ctx.subject),
        });
        let mut words: usize = parts.iter().map(|p| p.split_whitespace().count()).sum();
        let mut headings: Vec<&str> = words::HEADINGS.to_vec();
        self.rng.shuffle(&mut headings);
        let use_headings = self.rng.chance(0.3);
        let (mut made_list, mut made_link) = (false, false);
        let mut paragraphs = 0;
        while words < target_words {
            if use_headings
                && paragraphs % 3 == 0
                && let Some(h) = headings.pop()
            {
                parts.push(format!("## {h}"));
            }
            let mut p = self.paragraph(ctx);
            if !made_link && self.rng.chance(0.25) {
                made_link = true;
                p.push_str(&self.link(ctx));
            }
            words += p.split_whitespace().count();
            parts.push(p);
            paragraphs += 1;
            if !made_list && words < target_words && self.rng.chance(0.18) {
                made_list = true;
                let list = self.list();
                words += list.split_whitespace().count();
                parts.push(list);
            }
        }
        // Every footnote announced is referenced, then defined.
        while ctx.footnotes_used < ctx.footnotes {
            ctx.footnotes_used += 1;
            let _ = write!(
                parts.last_mut().expect("a paragraph"),
                "[^{}]",
                ctx.footnotes_used
            );
        }
        parts.push("Hoogachtend,".into());
        parts.push(format!("{}  \n{}", sender.name, capitalise(&sender.role)));
        for i in 1..=ctx.footnotes {
            let cited = self.citation(ctx);
            parts.push(format!("[^{i}]: {cited}."));
        }
        let mut text = parts.join("\n\n");
        text.push('\n');
        text
    }

    /// Log-normal dossier sizes (median about 9, a few in the hundreds) that add up to `n`.
    fn dossier_sizes(&mut self) -> Vec<usize> {
        let cap = 900.min((self.n / 10).max(100));
        let mut sizes = Vec::new();
        let mut total = 0;
        while total < self.n {
            let k = (self.rng.gauss(2.2, 1.3).exp() as usize + 1)
                .min(cap)
                .min(self.n - total);
            sizes.push(k);
            total += k;
        }
        sizes
    }

    fn pick_tags(&mut self, from_dossier: &[String], count: usize) -> Vec<String> {
        let mut tags: Vec<String> = Vec::with_capacity(count);
        while tags.len() < count {
            let tag = if !from_dossier.is_empty() && self.rng.chance(0.75) {
                self.rng.pick(from_dossier).clone()
            } else {
                self.tags[self.rng.weighted(&self.tag_weights)].clone()
            };
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags
    }

    fn subject(&mut self) -> String {
        let pattern = *self.rng.pick(words::SUBJECTS);
        let law = if self.rng.chance(0.3) {
            self.rng.pick(words::LAWS).to_string()
        } else {
            let laws: Vec<&String> = self
                .compounds_de
                .iter()
                .filter(|w| w.ends_with("wet"))
                .collect();
            if laws.is_empty() {
                "Vreemdelingenwet 2000".into()
            } else {
                capitalise(self.rng.pick(&laws).as_str())
            }
        };
        let adjective = self.rng.chance(0.3);
        let topic = self.noun_phrase(true, Some(adjective));
        pattern.replace("{law}", &law).replace("{topic}", &topic)
    }

    fn run(&mut self, content: &Path) -> io::Result<Stats> {
        let mut sizes = self.dossier_sizes();
        let count = sizes.len();
        let span = 3000.max(count + count / 4);
        let low = 37_000usize.saturating_sub(span);
        let mut numbers: Vec<usize> = (low..37_000).collect();
        self.rng.shuffle(&mut numbers);
        numbers.truncate(count);
        numbers.sort_unstable();
        if count > 1 && !numbers.contains(&36521) && low <= 36521 {
            let nearest = (0..count)
                .min_by_key(|&i| numbers[i].abs_diff(36521))
                .unwrap_or(0);
            numbers[nearest] = 36521;
            numbers.sort_unstable();
        }
        self.dossier_numbers = numbers.iter().map(usize::to_string).collect();
        self.rng.shuffle(&mut sizes);
        let first = Day::from_ymd(2015, 1, 1);
        let last_start = Day::from_ymd(2026, 6, 30);
        let end = Day::from_ymd(2026, 12, 31);
        let total_days = (last_start.0 - first.0) as f64;
        let mut stats = Stats {
            dossiers: count,
            max_dossier: sizes.iter().copied().max().unwrap_or(0),
            correspondents: self.correspondents(),
            tags: self.tags.len(),
            ..Stats::default()
        };
        // Most letters reply; dossiers' first letters cannot, so the rest reply more often.
        let reply_share = (0.6 * self.n as f64 / (self.n - count).max(1) as f64).min(0.97);
        for (d, &size) in sizes.iter().enumerate() {
            let number = numbers[d];
            let fraction = (number - low) as f64 / span as f64;
            let start =
                first.plus((fraction * total_days) as i64 + self.rng.range(0, 181) as i64 - 90);
            let start = start.max(first).min(last_start);
            let room = (end.0 - start.0) as usize;
            let dossier_span =
                room.min(45.max((size as f64 * (6.0 + self.rng.unit() * 19.0)) as usize));
            let mut offsets: Vec<usize> = (0..size)
                .map(|_| self.rng.range(0, dossier_span + 1))
                .collect();
            offsets.sort_unstable();
            self.write_dossier(
                content,
                &number.to_string(),
                start,
                &offsets,
                reply_share,
                &mut stats,
            )?;
        }
        Ok(stats)
    }

    fn participants(&mut self) -> (Actor, Actor, Vec<Actor>) {
        let ministry = self.rng.range(0, words::MINISTRIES.len());
        let committee = if self.rng.chance(0.8) {
            words::MINISTRIES[ministry].1
        } else {
            self.rng.range(0, words::COMMITTEES.len())
        };
        let others = (0..self.rng.range(1, 5))
            .map(|_| {
                if self.rng.chance(0.8) {
                    Actor::Body(self.rng.range(0, words::BODIES.len()))
                } else {
                    Actor::Mayor(self.rng.range(0, words::MUNICIPALITIES.len()))
                }
            })
            .collect();
        let government = if self.state_secretaries[ministry].is_some() && self.rng.chance(0.4) {
            Actor::StateSecretary(ministry)
        } else {
            Actor::Minister(ministry)
        };
        (Actor::Committee(committee, 0), government, others)
    }

    fn first_letter_parties(
        &mut self,
        committee: Actor,
        minister: Actor,
        others: &[Actor],
        memo: bool,
    ) -> (Actor, Actor) {
        let Actor::Committee(c, _) = committee else {
            unreachable!("a committee")
        };
        if memo {
            return (Actor::Committee(c, 1), committee);
        }
        let u = self.rng.unit();
        if u < 0.4 {
            (Actor::Committee(c, self.rng.range(0, 2)), minister)
        } else if u < 0.75 {
            (minister, committee)
        } else if u < 0.92 {
            (*self.rng.pick(others), committee)
        } else {
            (*self.rng.pick(others), minister)
        }
    }

    fn write_dossier(
        &mut self,
        content: &Path,
        dossier: &str,
        start: Day,
        offsets: &[usize],
        reply_share: f64,
        stats: &mut Stats,
    ) -> io::Result<()> {
        let (committee, minister, others) = self.participants();
        let subject = self.subject();
        let subject_lc = {
            let mut chars = subject.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        let tag_count = self.rng.range(3, 7);
        let dossier_tags = self.pick_tags(&[], tag_count);
        let folder = content.join(dossier);
        fs::create_dir_all(&folder)?;
        // (id, date, sender, recipient) of the letters written so far.
        let mut written: Vec<(String, Day, Actor, Actor)> = Vec::with_capacity(offsets.len());
        let mut ids: Vec<String> = Vec::with_capacity(offsets.len());
        for (i, &offset) in offsets.iter().enumerate() {
            let id = letter_id(i);
            let date = start.plus(offset as i64);
            let parent = (i > 0 && self.rng.chance(reply_share)).then(|| {
                let u = self.rng.unit();
                if u < 0.55 {
                    i - 1
                } else if u < 0.8 {
                    self.rng.range(i.saturating_sub(5), i)
                } else {
                    self.rng.range(0, i)
                }
            });
            let memo = parent.is_none() && self.rng.chance(0.1);
            let (from, mut to) = match parent {
                Some(p) => {
                    let third_party = self.rng.chance(0.1);
                    let from = if third_party {
                        *self.rng.pick(&others)
                    } else {
                        written[p].3
                    };
                    (from, written[p].2)
                }
                None => self.first_letter_parties(committee, minister, &others, memo),
            };
            if from == to {
                to = if matches!(from, Actor::Committee(..)) {
                    minister
                } else {
                    committee
                };
            }
            let sender = self.resolve(from, date).clone();
            let recipient = self.resolve(to, date).clone();
            let title = self.title(&sender, parent.is_some(), memo, &subject_lc);
            let asks = sender.role.contains("commissie")
                && is_government(&recipient)
                && self.rng.chance(0.6);
            let reply_due = asks.then(|| date.plus(*self.rng.pick(&[14, 28, 28, 42])));
            let tag_count = self.rng.range(2, 6);
            let tags = self.pick_tags(&dossier_tags, tag_count);
            let footnotes = if self.rng.chance(0.8) {
                *self.rng.pick(&[1, 1, 2, 2, 2])
            } else {
                0
            };
            let earlier = &ids[ids.len().saturating_sub(20)..];
            let mut ctx = Context {
                dossier,
                date,
                earlier,
                subject: &subject_lc,
                footnotes,
                footnotes_used: 0,
            };
            let target = self.rng.triangular(300.0, 1500.0, 500.0) as usize;
            let parent_ref = parent.map(|p| (written[p].1, written[p].0.as_str()));
            let body = self.body(&mut ctx, target, &sender, &recipient, parent_ref);
            let kind = match (parent.is_some(), memo, reply_due.is_some()) {
                (true, _, _) => "answer",
                (_, true, _) => "report",
                (_, _, true) => "question",
                _ => "letter",
            };
            let mut text = format!(
                "---\ntitle: {}\ndate: {}\ndossier: \"{dossier}\"\nletter: \"{id}\"\nkind: {kind}\n",
                quoted(&title),
                date.iso()
            );
            for (key, p) in [("from", &sender), ("to", &recipient)] {
                let _ = writeln!(
                    text,
                    "{key}: {{ name: {}, role: {}, organisation: {} }}",
                    quoted(&p.name),
                    quoted(&p.role),
                    quoted(&p.organisation)
                );
            }
            if let Some(p) = parent {
                let _ = writeln!(text, "in_reply_to: \"{}\"", written[p].0);
                stats.replies += 1;
            }
            if let Some(due) = reply_due {
                let _ = writeln!(text, "reply_due: {}", due.iso());
            }
            let _ = writeln!(text, "tags: [{}]\n---\n", tags.join(", "));
            text.push_str(&body);
            fs::write(folder.join(format!("{id}.md")), &text)?;
            stats.bytes += text.len();
            stats.words += body.split_whitespace().count();
            stats.letters += 1;
            written.push((id.clone(), date, from, to));
            ids.push(id);
        }
        Ok(())
    }

    fn title(&mut self, sender: &Person, reply: bool, memo: bool, subject: &str) -> String {
        let lead = if memo {
            self.rng
                .pick(&[
                    "Notitie over",
                    "Memo: stand van zaken",
                    "Verslag van een deskundigenbijeenkomst over",
                ])
                .to_string()
        } else if is_government(sender) {
            if reply {
                self.rng
                    .pick(&[
                        "Beantwoording van vragen over",
                        "Memorie van antwoord inzake",
                        "Reactie op de brief over",
                    ])
                    .to_string()
            } else {
                let own = format!("Brief van de {} over", sender.role);
                self.rng
                    .pick(&[own.as_str(), "Voortgangsbrief", "Toezeggingen inzake"])
                    .to_string()
            }
        } else if sender.role.contains("commissie") {
            self.rng
                .pick(&[
                    "Vragen over",
                    "Voorlopig verslag inzake",
                    "Nader voorlopig verslag inzake",
                    "Verzoek om informatie over",
                ])
                .to_string()
        } else {
            let org = &sender.organisation;
            let choices = [
                format!("Reactie van {org} op"),
                format!("Zienswijze van {org} over"),
                format!("Brief van {org} inzake"),
            ];
            self.rng.pick(&choices).clone()
        };
        format!("{lead} {subject}")
    }
}

#[cfg(test)]
mod tests {
    // The benchmarks include this file without a test harness, which leaves the tests out.
    #[allow(unused_imports)]
    use super::{Day, generate, letter_id};

    #[test]
    fn days_round_trip_through_the_calendar() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2025, 12, 31), (2026, 3, 1)] {
            assert_eq!(Day::from_ymd(y, m, d).ymd(), (y, m, d));
        }
        assert_eq!(Day::from_ymd(2025, 11, 19).session(), "2025/26");
        assert_eq!(Day::from_ymd(2025, 8, 31).session(), "2024/25");
        assert_eq!(letter_id(0), "A");
        assert_eq!(letter_id(25), "Z");
        assert_eq!(letter_id(26), "AA");
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus_of_the_asked_size() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let stats = generate(300, 7, a.path()).unwrap();
        generate(300, 7, b.path()).unwrap();
        assert_eq!(stats.letters, 300);
        let files = |dir: &std::path::Path| {
            let mut all: Vec<(std::path::PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    (
                        e.path().strip_prefix(dir).unwrap().to_path_buf(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect();
            all.sort();
            all
        };
        let letters = files(a.path());
        assert_eq!(letters, files(b.path()));
        assert_eq!(
            letters
                .iter()
                .filter(|(p, _)| p.extension().is_some_and(|x| x == "md"))
                .count(),
            300
        );
        // About 60% reply to an earlier letter, as in real dossiers.
        assert!(
            (120..=240).contains(&stats.replies),
            "{} replies",
            stats.replies
        );
        assert!(
            generate(10, 7, a.path()).is_err(),
            "a non-empty content/ is refused"
        );
    }
}
