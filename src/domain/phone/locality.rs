//! Whether an address's city lies in the local area of a number.
//!
//! Twilio compares city names literally, so a Gerlingen address fails for a 07156 (Ditzingen)
//! number although the Ditzingen Ortsnetz includes Gerlingen. regdesk normalises both names
//! (case, umlauts, punctuation, official qualifiers such as "Donau" in "Ulm Donau") and knows a
//! few curated aliases, so it accepts what the numbering authority accepts and no more: a Dachau
//! address still does not satisfy a München number.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::domain::phone::numbering::{LocalArea, NumberingPlan};
use crate::domain::records::kinds::Country;

/// Words that start a trailing qualifier phrase ("am Main", "an der Oder", "bei München",
/// "Kreis Prignitz"); the abbreviations come from forms such as "Frankfurt a. M.".
const CONNECTORS: &[&str] = &[
    "am", "an", "im", "in", "bei", "b", "vor", "vorm", "ob", "auf", "von", "a", "i", "kreis",
];

/// Words dropped when canonicalising a qualifier, so "an der Saale" and "(Saale)" agree.
const FILLERS: &[&str] = &[
    "am", "an", "im", "in", "bei", "b", "vor", "vorm", "ob", "auf", "von", "a", "i", "d", "der",
    "die", "dem", "den", "kreis",
];

/// Regions, rivers and similar words the German table appends to a town's name to tell it apart
/// (already folded: lowercase, umlauts as plain vowels). Collected from the trailing words of
/// `de-49.txt`.
const REGION_WORDS: &[&str] = &[
    "allgau",
    "aller",
    "altmark",
    "anh",
    "anhalt",
    "baden",
    "bayern",
    "brandenburg",
    "breisgau",
    "dithmarschen",
    "donau",
    "dosse",
    "eder",
    "eifel",
    "elbe",
    "elster",
    "ems",
    "erzgebirge",
    "harz",
    "hessen",
    "holstein",
    "hunsruck",
    "iller",
    "inn",
    "isar",
    "jagst",
    "kurort",
    "lauenburg",
    "leine",
    "main",
    "mark",
    "mittelfranken",
    "mosel",
    "nahe",
    "neckar",
    "niederbayern",
    "niederrhein",
    "niedersachsen",
    "nordheide",
    "oberbayern",
    "oberfranken",
    "oberlausitz",
    "oberpfalz",
    "oder",
    "odenwald",
    "ol",
    "oldb",
    "oldenburg",
    "ostfriesland",
    "ostseebad",
    "pfalz",
    "rhein",
    "rheinhessen",
    "rheinland",
    "rhon",
    "rugen",
    "ruhr",
    "saale",
    "saar",
    "sachsen",
    "sauerland",
    "schwaben",
    "schwarzwald",
    "sieg",
    "spree",
    "spreewald",
    "stadt",
    "taunus",
    "thuringen",
    "unstrut",
    "unterfranken",
    "vogtland",
    "vorpom",
    "vorpommern",
    "weser",
    "wertach",
    "westerwald",
    "westf",
    "westfalen",
    "wurtt",
    "wurttemberg",
];

/// Abbreviated qualifiers and the word the table spells out.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("br", "breisgau"),
    ("m", "main"),
    ("o", "oder"),
    ("anh", "anhalt"),
    ("ol", "oberlausitz"),
    ("oldb", "oldenburg"),
    ("opf", "oberpfalz"),
    ("vorpom", "vorpommern"),
    ("westf", "westfalen"),
    ("wurtt", "wurttemberg"),
];

/// Words that begin a town name and are never a town on their own ("Bad Elster" is not "Bad"
/// qualified by the river Elster).
const NAME_PREFIXES: &[&str] = &[
    "bad",
    "gross",
    "klein",
    "markt",
    "neu",
    "alt",
    "sankt",
    "st",
    "schwabisch",
];

/// Curated aliases: other names under which a place of the area is written. Keyed by country and
/// the area's name exactly as the table spells it; every alias applies to all prefixes of that
/// name (Vienna has eight).
const ALIASES: &[(&str, &str, &[&str])] = &[
    // The Ditzingen Ortsnetz (07156) includes Gerlingen; Twilio rejects Gerlingen addresses for
    // 07156 numbers (REFERENCE.md 3.2/4.1).
    ("DE", "Ditzingen", &["Gerlingen"]),
    // English exonyms, as foreign customers write them.
    ("DE", "München", &["Munich"]),
    ("DE", "Köln", &["Cologne"]),
    ("DE", "Nürnberg", &["Nuremberg"]),
    ("DE", "Hannover", &["Hanover"]),
    // The Austrian, Italian and Swedish tables use English names; these are the local ones.
    ("AT", "Vienna", &["Wien"]),
    ("IT", "Rome", &["Roma"]),
    ("IT", "Milan", &["Milano"]),
    ("IT", "Turin", &["Torino"]),
    ("IT", "Naples", &["Napoli"]),
    ("IT", "Florence", &["Firenze"]),
    ("IT", "Venice", &["Venezia"]),
    ("IT", "Genoa", &["Genova"]),
    ("IT", "Mantua", &["Mantova"]),
    // The province of Barletta-Andria-Trani is named after its three towns.
    (
        "IT",
        "Andria Barletta Trani",
        &["Andria", "Barletta", "Trani"],
    ),
    ("SE", "Gothenburg", &["Göteborg"]),
    // Curated Australian zones: 02 covers the ACT, 03 Tasmania, 08 the Northern Territory.
    ("AU", "Sydney (NSW/ACT)", &["Canberra"]),
    ("AU", "Melbourne (VIC/TAS)", &["Hobart"]),
    ("AU", "Adelaide/Perth (SA/NT/WA)", &["Darwin"]),
];

/// A name split into the town and its official qualifier.
struct Parsed {
    /// Folded town name, words joined by single spaces.
    base: String,
    /// Canonical qualifier ("main" for "am Main", "a. M." and "(Main)").
    qualifier: Option<String>,
}

/// Lowercases, folds umlauts, ß and other accents to plain letters and turns punctuation into
/// spaces; keeps `-`, `/` and parentheses, which [`parse`] still needs.
pub(crate) fn fold(name: &str) -> String {
    let mut plain = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => plain.push_str("ss"),
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => plain.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => plain.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => plain.push('u'),
            'é' | 'è' | 'ê' | 'ë' => plain.push('e'),
            'í' | 'ì' | 'î' | 'ï' => plain.push('i'),
            'ç' => plain.push('c'),
            'ñ' => plain.push('n'),
            // "L'Aquila" is one word.
            '\'' | '’' => {}
            '-' | '/' | '(' | ')' => plain.push(c),
            c if c.is_alphanumeric() => plain.push(c),
            _ => plain.push(' '),
        }
    }
    // "Muenchen" and "Munchen" must meet "München" (folded to "munchen"), so the transliterated
    // umlauts ae/oe/ue also become plain vowels, inside a word only. After a, e or q, "ue" is part
    // of "aue", "neue" or "que" rather than an umlaut and stays.
    let chars: Vec<char> = plain.chars().collect();
    let mut out = String::with_capacity(plain.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        let digraph = matches!(c, 'a' | 'o' | 'u')
            && chars.get(i + 1) == Some(&'e')
            && chars.get(i + 2).is_some_and(|n| n.is_alphabetic())
            && !(c == 'u' && i > 0 && matches!(chars[i - 1], 'a' | 'e' | 'q'));
        i += if digraph { 2 } else { 1 };
    }
    out
}

/// Whether a hyphen-joined unit consists of qualifier words only ("sachsen-anhalt").
fn is_region_unit(unit: &str) -> bool {
    unit.split('-').all(|w| REGION_WORDS.contains(&w))
}

/// Whether `units` (a name's tail) is a qualifier phrase.
fn is_qualifier_phrase(units: &[&str]) -> bool {
    match units.first() {
        None => false,
        Some(first) if CONNECTORS.contains(first) => units.len() > 1,
        Some(_) => units.iter().all(|u| is_region_unit(u)),
    }
}

/// Splits a name into its folded town name and canonical qualifier.
fn parse(name: &str) -> Parsed {
    let folded = fold(name);
    // Text in parentheses is always a qualifier: "Frankfurt (Oder)", "Sydney (NSW/ACT)".
    let mut main = String::new();
    let mut bracketed = String::new();
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' => {
                depth += 1;
                main.push(' ');
            }
            ')' => depth = depth.saturating_sub(1),
            c if depth > 0 => bracketed.push(c),
            c => main.push(c),
        }
    }
    // Hyphens join parts of one name ("Baden-Baden", "Köln-Porz"); spaces and slashes separate.
    let units: Vec<&str> = main
        .split(|c: char| c.is_whitespace() || c == '/')
        .map(|u| u.trim_matches('-'))
        .filter(|u| !u.is_empty())
        .collect();
    let split = (1..units.len())
        .find(|&i| {
            is_qualifier_phrase(&units[i..])
                && !units[..i].iter().all(|u| NAME_PREFIXES.contains(u))
        })
        .unwrap_or(units.len());
    let words = |units: &[&str]| -> Vec<String> {
        units
            .iter()
            .flat_map(|u| u.split('-'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let base = words(&units[..split]).join(" ");
    let qualifier_words: Vec<String> = words(&units[split..])
        .into_iter()
        .chain(
            bracketed
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        )
        .filter(|w| !FILLERS.contains(&w.as_str()))
        .map(|w| {
            ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == w)
                .map_or(w, |(_, long)| long.to_string())
        })
        .collect();
    let qualifier = (!qualifier_words.is_empty()).then(|| qualifier_words.join(" "));
    Parsed { base, qualifier }
}

/// Facts about the area names of the built-in plan that normalisation and matching depend on.
struct Index {
    /// Town names shared by differently qualified areas ("frankfurt": am Main and Oder), whose
    /// qualifier must be kept.
    ambiguous: HashSet<String>,
    /// Each country's town names, to recognise "Köln-Porz" as a district of Köln.
    bases: HashMap<Country, HashSet<String>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let plan = NumberingPlan::builtin();
        let mut forms: HashMap<String, HashSet<Option<String>>> = HashMap::new();
        let mut bases: HashMap<Country, HashSet<String>> = HashMap::new();
        for country in plan.countries() {
            for area in plan.areas(country) {
                let parsed = parse(&area.name);
                forms
                    .entry(parsed.base.clone())
                    .or_default()
                    .insert(parsed.qualifier);
                bases.entry(country).or_default().insert(parsed.base);
            }
        }
        let ambiguous = forms
            .into_iter()
            .filter(|(_, q)| q.len() > 1)
            .map(|(base, _)| base)
            .collect();
        Index { ambiguous, bases }
    })
}

/// The comparable form of a place name: lowercase, umlauts and accents as plain vowels, no
/// punctuation, and without an official qualifier unless the qualifier is what tells two areas
/// apart ("Ulm Donau" → "ulm", but "Frankfurt am Main" → "frankfurt main").
pub fn normalize(name: &str) -> String {
    let parsed = parse(name);
    match parsed.qualifier {
        Some(q) if index().ambiguous.contains(&parsed.base) => format!("{} {q}", parsed.base),
        _ => parsed.base,
    }
}

/// Every normalised city name that lies in the area: a city is in the area exactly when its
/// [`normalize`]d name is one of these, which lets a caller index addresses by name.
pub fn accepted_names(area: &LocalArea) -> Vec<String> {
    let mut names = vec![normalize(&area.name)];
    let outside_brackets = area.name.split('(').next().unwrap_or_default();
    // "Wölsickendorf/Wollenberg", "Cremona/Monza": a slash lists towns, unless what follows it is
    // a qualifier ("Schwedt/Oder").
    let parts: Vec<&str> = outside_brackets.split('/').collect();
    let lists_towns = parts.len() > 1
        && parts[1..].iter().all(|p| {
            let folded = fold(p);
            let units: Vec<&str> = folded.split_whitespace().collect();
            !is_qualifier_phrase(&units)
        });
    if lists_towns {
        names.extend(parts.iter().map(|p| normalize(p)));
    }
    // "Caltanissetta and Enna" in the English-language tables.
    if outside_brackets.contains(" and ") {
        names.extend(outside_brackets.split(" and ").map(normalize));
    }
    let first_word = outside_brackets
        .split_whitespace()
        .next()
        .unwrap_or_default();
    if area.country.code() == "SE" {
        // The Swedish table joins the towns an area serves with hyphens ("Gävle-Sandviken").
        names.extend(outside_brackets.split('-').map(normalize));
    } else if let Some((town, district)) = first_word.split_once('-') {
        // "Köln-Porz" is Porz, a district of Köln with its own area code: it is written
        // "Köln-Porz" or "Porz", but a plain "Köln" address belongs to the Köln area. Only when
        // the part before the hyphen is a town of the table; "Steinbach-Hallenberg" is one town.
        let is_town = index()
            .bases
            .get(&area.country)
            .is_some_and(|b| b.contains(&parse(town).base));
        if is_town {
            let rest = &area.name[area.name.find(district).unwrap_or(0)..];
            names.push(normalize(rest));
        }
    }
    for (country, name, aliases) in ALIASES {
        if *country == area.country.code() && *name == area.name {
            names.extend(aliases.iter().map(|a| normalize(a)));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Whether a city, as written in an address, lies in the local area: normalised equality with
/// the area's name, one of the towns it lists, its district name, or a curated alias.
pub fn city_in_area(area: &LocalArea, city: &str) -> bool {
    // Evaluating 50,000 numbers asks the same few addresses of the same few areas over and over;
    // folding the names each time was most of a number's evaluation (BENCHMARKS.md, figure 8).
    // The answer depends on the area's prefix (which names it in the plan) and the city only.
    IN_AREA.with(|memo| {
        if let Some(&known) = memo
            .borrow()
            .get(area.prefix.as_str())
            .and_then(|cities| cities.get(city))
        {
            return known;
        }
        let folded = normalize(city);
        let answer = !folded.is_empty() && accepted_names(area).contains(&folded);
        let mut memo = memo.borrow_mut();
        if memo.len() >= IN_AREA_LIMIT {
            memo.clear();
        }
        memo.entry(area.prefix.clone())
            .or_default()
            .insert(city.to_string(), answer);
        answer
    })
}

/// How many areas [`city_in_area`] remembers answers for before it starts again: more than the
/// 6,700 of the vendored tables, so a plan over every area does not start again midway.
const IN_AREA_LIMIT: usize = 16_384;

thread_local! {
    /// [`city_in_area`]'s answers, by area prefix, then by city as written.
    static IN_AREA: std::cell::RefCell<HashMap<String, HashMap<String, bool>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// One country's local areas by every name a city in them can be written as ([`accepted_names`]):
/// [`city_in_area`] for many addresses at once. The addresses page asks it for each of its
/// addresses; asking `city_in_area` of every area for each address cost seconds with 1,000
/// addresses (BENCHMARKS.md). Answers exactly what `city_in_area` answers, in the plan's order
/// (tested).
pub struct AreasByName<'a> {
    by_name: HashMap<String, Vec<&'a LocalArea>>,
}

impl<'a> AreasByName<'a> {
    /// The index of `areas` (one country's, in the plan's order).
    pub fn new(areas: impl IntoIterator<Item = &'a LocalArea>) -> AreasByName<'a> {
        let mut by_name: HashMap<String, Vec<&'a LocalArea>> = HashMap::new();
        for area in areas {
            for name in accepted_names(area) {
                let list = by_name.entry(name).or_default();
                // An area can list one name twice ("Köln-Porz" and its alias): count it once.
                if !list.last().is_some_and(|last| std::ptr::eq(*last, area)) {
                    list.push(area);
                }
            }
        }
        AreasByName { by_name }
    }

    /// The areas `city` (as written in an address) lies in.
    pub fn of(&self, city: &str) -> &[&'a LocalArea] {
        self.by_name
            .get(&normalize(city))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// What a person typed for a local area, understood once for every field that asks for one:
/// an area code as dialled at home (`089`) or abroad (`+49 89`, `004989`), or a place name,
/// written any way [`accepted_names`] accepts (München, Muenchen, Munich).
enum AreaText {
    /// The area code as E.164 digits with the country code (`4989`).
    Code(String),
    /// A normalised place name (`munchen`).
    Name(String),
}

impl AreaText {
    fn of(calling_code: &str, text: &str) -> Option<AreaText> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let compact: String = trimmed
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/' | '(' | ')'))
            .collect();
        let digits = compact.trim_start_matches('+');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let national = if compact.starts_with('+') {
                digits.strip_prefix(calling_code).unwrap_or(digits)
            } else if let Some(rest) = digits.strip_prefix("00") {
                rest.strip_prefix(calling_code).unwrap_or(rest)
            } else {
                digits
            };
            let national = national.trim_start_matches('0');
            return Some(AreaText::Code(format!("{calling_code}{national}")));
        }
        Some(AreaText::Name(normalize(trimmed)))
    }
}

/// The local area of `country` that `text` names exactly: its area code (`089`, `+4989`) or a
/// name the area accepts. The document form asks this of its "Local area" field.
pub fn resolve_area<'p>(
    plan: &'p NumberingPlan,
    country: Country,
    text: &str,
) -> Option<&'p LocalArea> {
    match AreaText::of(plan.calling_code(country)?, text)? {
        AreaText::Code(prefix) => plan.area(&prefix),
        AreaText::Name(name) => plan
            .areas(country)
            .into_iter()
            .find(|a| accepted_names(a).contains(&name)),
    }
}

/// A search for the local areas of one country, read once and then asked of each area (the
/// shop asks it of every range of the country on each keystroke): an area code the area's
/// starts with (`08` finds München's 089), or the start of any word of a name it accepts
/// (`mun`, `Munich`, `frankfurt`). An empty search finds every area.
pub struct AreaSearch(Search);

enum Search {
    Everything,
    Nothing,
    For(AreaText),
}

impl AreaSearch {
    /// Reads `text` as typed for an area of `country`; a country without a numbering plan has
    /// no areas, so a search there finds none.
    pub fn new(plan: &NumberingPlan, country: Country, text: &str) -> AreaSearch {
        AreaSearch(match plan.calling_code(country) {
            None => Search::Nothing,
            Some(code) => AreaText::of(code, text).map_or(Search::Everything, Search::For),
        })
    }

    /// Whether nothing was typed, so that the search finds everything, areas or not.
    pub fn is_empty(&self) -> bool {
        matches!(self.0, Search::Everything)
    }

    /// Whether `area` is among the results.
    pub fn matches(&self, area: &LocalArea) -> bool {
        match &self.0 {
            Search::Everything => true,
            Search::Nothing => false,
            Search::For(AreaText::Code(prefix)) => area.prefix.starts_with(prefix.as_str()),
            // The area's own words count too, qualifiers included ("berlin" also finds
            // Neuenhagen bei Berlin, which lies beside it).
            Search::For(AreaText::Name(name)) => accepted_names(area)
                .into_iter()
                .chain(std::iter::once(fold(&area.name)))
                .any(|accepted| {
                    accepted.starts_with(name.as_str())
                        || accepted
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w.starts_with(name.as_str()))
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::e164::E164;

    #[test]
    fn the_index_by_name_answers_what_city_in_area_answers() {
        let plan = NumberingPlan::builtin();
        for code in ["DE", "AT", "IT", "SE"] {
            let country: Country = code.parse().unwrap();
            let areas = plan.areas(country);
            let index = AreasByName::new(areas.iter().copied());
            // Every 500th area's own name, the towns and districts the tables write, aliases,
            // spellings, and names in no area.
            let mut cities: Vec<String> =
                areas.iter().step_by(500).map(|a| a.name.clone()).collect();
            cities.extend(
                [
                    "Muenchen",
                    "MÜNCHEN",
                    "Munich",
                    "Porz",
                    "Köln-Porz",
                    "Köln",
                    "Ditzingen",
                    "Gerlingen",
                    "Frankfurt",
                    "Frankfurt am Main",
                    "Schwedt",
                    "Gävle",
                    "Sandviken",
                    "Cremona",
                    "Monza",
                    "Wien",
                    "Nowhere",
                    "",
                    "  ",
                ]
                .map(String::from),
            );
            for city in &cities {
                let slow: Vec<&LocalArea> = areas
                    .iter()
                    .copied()
                    .filter(|a| city_in_area(a, city))
                    .collect();
                let fast = index.of(city);
                assert_eq!(
                    fast.iter().map(|a| &a.prefix).collect::<Vec<_>>(),
                    slow.iter().map(|a| &a.prefix).collect::<Vec<_>>(),
                    "{country:?} {city:?}"
                );
            }
        }
    }

    #[test]
    fn an_area_is_found_however_it_is_written() {
        let plan = NumberingPlan::builtin();
        for typed in [
            "089", "89", "+49 89", "+4989", "004989", "München", "Muenchen", "MUNICH",
        ] {
            let area = resolve_area(plan, Country::DE, typed);
            assert_eq!(area.map(|a| a.prefix.as_str()), Some("4989"), "{typed:?}");
        }
        for typed in ["", "0", "Dachau bei München", "Munchkin", "+4930x"] {
            assert_ne!(
                resolve_area(plan, Country::DE, typed).map(|a| a.prefix.as_str()),
                Some("4989"),
                "{typed:?}"
            );
        }
        let munich = plan.area("4989").unwrap();
        for typed in [
            "", "08", "089", "+49 8", "mun", "Munich", "münchen", "Muench",
        ] {
            assert!(
                AreaSearch::new(plan, Country::DE, typed).matches(munich),
                "{typed:?}"
            );
        }
        for typed in ["030", "+4930", "Berlin", "unich"] {
            assert!(
                !AreaSearch::new(plan, Country::DE, typed).matches(munich),
                "{typed:?}"
            );
        }
        // Every word counts: "Frankfurt" finds Frankfurt am Main and Frankfurt (Oder).
        let frankfurt: Vec<&str> = plan
            .areas(Country::DE)
            .into_iter()
            .filter(|a| AreaSearch::new(plan, Country::DE, "frankfurt").matches(a))
            .map(|a| a.prefix.as_str())
            .collect();
        assert!(
            frankfurt.contains(&"4969") && frankfurt.contains(&"49335"),
            "{frankfurt:?}"
        );
    }

    fn area_of(number: &str) -> &'static LocalArea {
        let n = E164::parse(number).unwrap();
        NumberingPlan::builtin()
            .local_area(&n)
            .unwrap_or_else(|| panic!("{number} has no area"))
    }

    #[test]
    fn normalisation() {
        let cases = [
            ("München", "munchen"),
            ("Muenchen", "munchen"),
            ("Munchen", "munchen"),
            ("MÜNCHEN", "munchen"),
            ("Köln", "koln"),
            ("Koeln", "koln"),
            ("Koln", "koln"),
            ("Köln-Porz", "koln porz"),
            ("Köln  Porz", "koln porz"),
            ("Gießen", "giessen"),
            ("Ulm Donau", "ulm"),
            ("Ulm (Donau)", "ulm"),
            ("Ulm an der Donau", "ulm"),
            ("Freiburg im Breisgau", "freiburg breisgau"),
            ("Freiburg i. Br.", "freiburg breisgau"),
            ("Leonberg Württemberg", "leonberg"),
            ("Haan Rheinland", "haan"),
            ("Chemnitz Sachsen", "chemnitz"),
            ("Grafing bei München", "grafing"),
            ("Frankfurt am Main", "frankfurt main"),
            ("Frankfurt a. M.", "frankfurt main"),
            ("Frankfurt/Main", "frankfurt main"),
            ("Frankfurt (Oder)", "frankfurt oder"),
            ("Frankfurt an der Oder", "frankfurt oder"),
            ("Frankfurt", "frankfurt"),
            ("Halle Saale", "halle saale"),
            ("Halle (Saale)", "halle saale"),
            ("Halle Westfalen", "halle westfalen"),
            ("Bad Elster", "bad elster"),
            ("Baden-Baden", "baden baden"),
            ("Aue Sachsen", "aue"),
            ("Schwedt/Oder", "schwedt"),
            ("L'Aquila", "laquila"),
            ("  St. Peter   ", "st peter"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn cities_in_areas() {
        let cases: &[(&str, &str, bool)] = &[
            // Ditzingen's Ortsnetz includes Gerlingen (the case Twilio gets wrong).
            ("+4971561234567", "Gerlingen", true),
            ("+4971561234567", "Ditzingen", true),
            ("+4971561234567", "Stuttgart", false),
            // Neighbours with their own Ortsnetz are not the big city.
            ("+4989123456", "Dachau", false),
            ("+4981311234567", "München", false),
            ("+4981311234567", "Dachau", true),
            ("+4989123456", "München", true),
            ("+4989123456", "Muenchen", true),
            ("+4989123456", "Munchen", true),
            ("+4989123456", "Munich", true),
            // Two Frankfurts: the qualifier is what tells them apart.
            ("+4969123456", "Frankfurt am Main", true),
            ("+4969123456", "Frankfurt a.M.", true),
            ("+4969123456", "Frankfurt/Main", true),
            ("+4969123456", "Frankfurt (Oder)", false),
            ("+49335123456", "Frankfurt (Oder)", true),
            ("+49335123456", "Frankfurt an der Oder", true),
            ("+49335123456", "Frankfurt am Main", false),
            ("+4969123456", "Frankfurt", false),
            // Two Halles as well.
            ("+49345123456", "Halle (Saale)", true),
            ("+49345123456", "Halle Saale", true),
            ("+49345123456", "Halle Westfalen", false),
            // Unique towns need no qualifier.
            ("+49731123456", "Ulm", true),
            ("+49731123456", "Ulm (Donau)", true),
            ("+4921291234567", "Haan", true),
            ("+4921211234567", "Solingen", true),
            ("+4921211234567", "Haan", false),
            // Districts with their own area code.
            ("+492203123456", "Köln-Porz", true),
            ("+492203123456", "Köln Porz", true),
            ("+492203123456", "Porz", true),
            ("+49221123456", "Köln", true),
            ("+49221123456", "Koeln", true),
            ("+49221123456", "Cologne", true),
            ("+49221123456", "Köln-Porz", false),
            ("+49221123456", "Porz", false),
            ("+4936847123456", "Hallenberg", false),
            ("+4936847123456", "Steinbach-Hallenberg", true),
            // English-language tables and their aliases.
            ("+43123456789", "Vienna", true),
            ("+43123456789", "Wien", true),
            ("+390612345678", "Roma", true),
            ("+46311234567", "Göteborg", true),
            ("+46261234567", "Sandviken", true),
            ("+46261234567", "Gävle", true),
            ("+390362123456", "Monza", true),
            ("+390362123456", "Cremona", true),
            ("+61298765432", "Canberra", true),
            ("+61298765432", "Sydney", true),
            ("+33112345678", "Paris", true),
            ("+33412345678", "Lyon", true),
            ("+4930123456", "", false),
        ];
        for (number, city, expected) in cases {
            let area = area_of(number);
            assert_eq!(
                city_in_area(area, city),
                *expected,
                "{city:?} in {} ({})",
                area.name,
                area.prefix
            );
        }
    }

    #[test]
    fn every_alias_names_a_real_area_and_no_other_area() {
        let plan = NumberingPlan::builtin();
        for (code, name, aliases) in ALIASES {
            let country: Country = code.parse().unwrap();
            let areas = plan.areas(country);
            assert!(
                areas.iter().any(|a| a.name == *name),
                "{code} {name} is not in the plan"
            );
            for alias in *aliases {
                let clash = areas
                    .iter()
                    .find(|a| a.name != *name && normalize(&a.name) == normalize(alias));
                assert!(clash.is_none(), "alias {alias} is also the area {clash:?}");
            }
        }
    }

    #[test]
    fn every_area_matches_its_own_name() {
        let plan = NumberingPlan::builtin();
        for country in plan.countries() {
            for area in plan.areas(country) {
                assert!(city_in_area(area, &area.name), "{area:?}");
            }
        }
    }
}
