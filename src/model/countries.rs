//! One table of countries and the forms their names take in releases.
//!
//! Releases write "the United Kingdom", "the UK" or "GB"; "Czech Republic"
//! or "Czechia"; "Turkey" or "Türkiye". Every place that asks which country
//! a name means (EU membership, two spellings of one participant, a
//! return's reporter, `[part_of]`) asks [`lookup`], so they all agree.

use std::collections::HashMap;
use std::sync::LazyLock;
use time::{Date, Month};

/// A state or territory, by its canonical English short name.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Country {
    pub name: &'static str,
    /// ISO 3166-1 alpha-2 (Kosovo's XK is the code in common use).
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 (Kosovo: XKX).
    pub alpha3: &'static str,
    /// A member of the United Nations (the others are listed because
    /// releases name them beside countries).
    pub un_member: bool,
}

const fn un(name: &'static str, alpha2: &'static str, alpha3: &'static str) -> Country {
    Country {
        name,
        alpha2,
        alpha3,
        un_member: true,
    }
}

const fn other(name: &'static str, alpha2: &'static str, alpha3: &'static str) -> Country {
    Country {
        name,
        alpha2,
        alpha3,
        un_member: false,
    }
}

/// The 193 UN member states, then the states and territories releases
/// list beside them.
static COUNTRIES: [Country; 199] = [
    un("Afghanistan", "AF", "AFG"),
    un("Albania", "AL", "ALB"),
    un("Algeria", "DZ", "DZA"),
    un("Andorra", "AD", "AND"),
    un("Angola", "AO", "AGO"),
    un("Antigua and Barbuda", "AG", "ATG"),
    un("Argentina", "AR", "ARG"),
    un("Armenia", "AM", "ARM"),
    un("Australia", "AU", "AUS"),
    un("Austria", "AT", "AUT"),
    un("Azerbaijan", "AZ", "AZE"),
    un("Bahamas", "BS", "BHS"),
    un("Bahrain", "BH", "BHR"),
    un("Bangladesh", "BD", "BGD"),
    un("Barbados", "BB", "BRB"),
    un("Belarus", "BY", "BLR"),
    un("Belgium", "BE", "BEL"),
    un("Belize", "BZ", "BLZ"),
    un("Benin", "BJ", "BEN"),
    un("Bhutan", "BT", "BTN"),
    un("Bolivia", "BO", "BOL"),
    un("Bosnia and Herzegovina", "BA", "BIH"),
    un("Botswana", "BW", "BWA"),
    un("Brazil", "BR", "BRA"),
    un("Brunei", "BN", "BRN"),
    un("Bulgaria", "BG", "BGR"),
    un("Burkina Faso", "BF", "BFA"),
    un("Burundi", "BI", "BDI"),
    un("Cabo Verde", "CV", "CPV"),
    un("Cambodia", "KH", "KHM"),
    un("Cameroon", "CM", "CMR"),
    un("Canada", "CA", "CAN"),
    un("Central African Republic", "CF", "CAF"),
    un("Chad", "TD", "TCD"),
    un("Chile", "CL", "CHL"),
    un("China", "CN", "CHN"),
    un("Colombia", "CO", "COL"),
    un("Comoros", "KM", "COM"),
    un("Congo", "CG", "COG"),
    un("Costa Rica", "CR", "CRI"),
    un("Côte d'Ivoire", "CI", "CIV"),
    un("Croatia", "HR", "HRV"),
    un("Cuba", "CU", "CUB"),
    un("Cyprus", "CY", "CYP"),
    un("Czechia", "CZ", "CZE"),
    un("Democratic Republic of the Congo", "CD", "COD"),
    un("Denmark", "DK", "DNK"),
    un("Djibouti", "DJ", "DJI"),
    un("Dominica", "DM", "DMA"),
    un("Dominican Republic", "DO", "DOM"),
    un("Ecuador", "EC", "ECU"),
    un("Egypt", "EG", "EGY"),
    un("El Salvador", "SV", "SLV"),
    un("Equatorial Guinea", "GQ", "GNQ"),
    un("Eritrea", "ER", "ERI"),
    un("Estonia", "EE", "EST"),
    un("Eswatini", "SZ", "SWZ"),
    un("Ethiopia", "ET", "ETH"),
    un("Fiji", "FJ", "FJI"),
    un("Finland", "FI", "FIN"),
    un("France", "FR", "FRA"),
    un("Gabon", "GA", "GAB"),
    un("Gambia", "GM", "GMB"),
    un("Georgia", "GE", "GEO"),
    un("Germany", "DE", "DEU"),
    un("Ghana", "GH", "GHA"),
    un("Greece", "GR", "GRC"),
    un("Grenada", "GD", "GRD"),
    un("Guatemala", "GT", "GTM"),
    un("Guinea", "GN", "GIN"),
    un("Guinea-Bissau", "GW", "GNB"),
    un("Guyana", "GY", "GUY"),
    un("Haiti", "HT", "HTI"),
    un("Honduras", "HN", "HND"),
    un("Hungary", "HU", "HUN"),
    un("Iceland", "IS", "ISL"),
    un("India", "IN", "IND"),
    un("Indonesia", "ID", "IDN"),
    un("Iran", "IR", "IRN"),
    un("Iraq", "IQ", "IRQ"),
    un("Ireland", "IE", "IRL"),
    un("Israel", "IL", "ISR"),
    un("Italy", "IT", "ITA"),
    un("Jamaica", "JM", "JAM"),
    un("Japan", "JP", "JPN"),
    un("Jordan", "JO", "JOR"),
    un("Kazakhstan", "KZ", "KAZ"),
    un("Kenya", "KE", "KEN"),
    un("Kiribati", "KI", "KIR"),
    un("Kuwait", "KW", "KWT"),
    un("Kyrgyzstan", "KG", "KGZ"),
    un("Laos", "LA", "LAO"),
    un("Latvia", "LV", "LVA"),
    un("Lebanon", "LB", "LBN"),
    un("Lesotho", "LS", "LSO"),
    un("Liberia", "LR", "LBR"),
    un("Libya", "LY", "LBY"),
    un("Liechtenstein", "LI", "LIE"),
    un("Lithuania", "LT", "LTU"),
    un("Luxembourg", "LU", "LUX"),
    un("Madagascar", "MG", "MDG"),
    un("Malawi", "MW", "MWI"),
    un("Malaysia", "MY", "MYS"),
    un("Maldives", "MV", "MDV"),
    un("Mali", "ML", "MLI"),
    un("Malta", "MT", "MLT"),
    un("Marshall Islands", "MH", "MHL"),
    un("Mauritania", "MR", "MRT"),
    un("Mauritius", "MU", "MUS"),
    un("Mexico", "MX", "MEX"),
    un("Micronesia", "FM", "FSM"),
    un("Moldova", "MD", "MDA"),
    un("Monaco", "MC", "MCO"),
    un("Mongolia", "MN", "MNG"),
    un("Montenegro", "ME", "MNE"),
    un("Morocco", "MA", "MAR"),
    un("Mozambique", "MZ", "MOZ"),
    un("Myanmar", "MM", "MMR"),
    un("Namibia", "NA", "NAM"),
    un("Nauru", "NR", "NRU"),
    un("Nepal", "NP", "NPL"),
    un("Netherlands", "NL", "NLD"),
    un("New Zealand", "NZ", "NZL"),
    un("Nicaragua", "NI", "NIC"),
    un("Niger", "NE", "NER"),
    un("Nigeria", "NG", "NGA"),
    un("North Korea", "KP", "PRK"),
    un("North Macedonia", "MK", "MKD"),
    un("Norway", "NO", "NOR"),
    un("Oman", "OM", "OMN"),
    un("Pakistan", "PK", "PAK"),
    un("Palau", "PW", "PLW"),
    un("Panama", "PA", "PAN"),
    un("Papua New Guinea", "PG", "PNG"),
    un("Paraguay", "PY", "PRY"),
    un("Peru", "PE", "PER"),
    un("Philippines", "PH", "PHL"),
    un("Poland", "PL", "POL"),
    un("Portugal", "PT", "PRT"),
    un("Qatar", "QA", "QAT"),
    un("Romania", "RO", "ROU"),
    un("Russia", "RU", "RUS"),
    un("Rwanda", "RW", "RWA"),
    un("Saint Kitts and Nevis", "KN", "KNA"),
    un("Saint Lucia", "LC", "LCA"),
    un("Saint Vincent and the Grenadines", "VC", "VCT"),
    un("Samoa", "WS", "WSM"),
    un("San Marino", "SM", "SMR"),
    un("São Tomé and Príncipe", "ST", "STP"),
    un("Saudi Arabia", "SA", "SAU"),
    un("Senegal", "SN", "SEN"),
    un("Serbia", "RS", "SRB"),
    un("Seychelles", "SC", "SYC"),
    un("Sierra Leone", "SL", "SLE"),
    un("Singapore", "SG", "SGP"),
    un("Slovakia", "SK", "SVK"),
    un("Slovenia", "SI", "SVN"),
    un("Solomon Islands", "SB", "SLB"),
    un("Somalia", "SO", "SOM"),
    un("South Africa", "ZA", "ZAF"),
    un("South Korea", "KR", "KOR"),
    un("South Sudan", "SS", "SSD"),
    un("Spain", "ES", "ESP"),
    un("Sri Lanka", "LK", "LKA"),
    un("Sudan", "SD", "SDN"),
    un("Suriname", "SR", "SUR"),
    un("Sweden", "SE", "SWE"),
    un("Switzerland", "CH", "CHE"),
    un("Syria", "SY", "SYR"),
    un("Tajikistan", "TJ", "TJK"),
    un("Tanzania", "TZ", "TZA"),
    un("Thailand", "TH", "THA"),
    un("Timor-Leste", "TL", "TLS"),
    un("Togo", "TG", "TGO"),
    un("Tonga", "TO", "TON"),
    un("Trinidad and Tobago", "TT", "TTO"),
    un("Tunisia", "TN", "TUN"),
    un("Türkiye", "TR", "TUR"),
    un("Turkmenistan", "TM", "TKM"),
    un("Tuvalu", "TV", "TUV"),
    un("Uganda", "UG", "UGA"),
    un("Ukraine", "UA", "UKR"),
    un("United Arab Emirates", "AE", "ARE"),
    un("United Kingdom", "GB", "GBR"),
    un("United States", "US", "USA"),
    un("Uruguay", "UY", "URY"),
    un("Uzbekistan", "UZ", "UZB"),
    un("Vanuatu", "VU", "VUT"),
    un("Venezuela", "VE", "VEN"),
    un("Vietnam", "VN", "VNM"),
    un("Yemen", "YE", "YEM"),
    un("Zambia", "ZM", "ZMB"),
    un("Zimbabwe", "ZW", "ZWE"),
    other("Kosovo", "XK", "XKX"),
    other("Taiwan", "TW", "TWN"),
    other("Palestine", "PS", "PSE"),
    other("Hong Kong", "HK", "HKG"),
    other("Macao", "MO", "MAC"),
    other("Holy See", "VA", "VAT"),
];

/// Other names in use, as (form, canonical name). Articles, case,
/// diacritics, dots and hyphens need no entry (see [`normalised`]).
const ALIASES: &[(&str, &str)] = &[
    (
        "United Kingdom of Great Britain and Northern Ireland",
        "United Kingdom",
    ),
    ("UK", "United Kingdom"),
    ("Great Britain", "United Kingdom"),
    ("Britain", "United Kingdom"),
    ("United States of America", "United States"),
    ("Czech Republic", "Czechia"),
    ("Turkey", "Türkiye"),
    ("Republic of Türkiye", "Türkiye"),
    ("Republic of Moldova", "Moldova"),
    ("Holland", "Netherlands"),
    ("Kingdom of the Netherlands", "Netherlands"),
    ("Former Yugoslav Republic of Macedonia", "North Macedonia"),
    ("FYROM", "North Macedonia"),
    ("Macedonia", "North Macedonia"),
    ("Republic of North Macedonia", "North Macedonia"),
    ("Ivory Coast", "Côte d'Ivoire"),
    ("Russian Federation", "Russia"),
    ("Republic of Korea", "South Korea"),
    ("Korea", "South Korea"),
    ("Democratic People's Republic of Korea", "North Korea"),
    ("DPRK", "North Korea"),
    ("Islamic Republic of Iran", "Iran"),
    ("Lao People's Democratic Republic", "Laos"),
    ("Lao PDR", "Laos"),
    ("Syrian Arab Republic", "Syria"),
    ("Viet Nam", "Vietnam"),
    ("Plurinational State of Bolivia", "Bolivia"),
    ("Bolivarian Republic of Venezuela", "Venezuela"),
    ("United Republic of Tanzania", "Tanzania"),
    ("Federated States of Micronesia", "Micronesia"),
    ("Brunei Darussalam", "Brunei"),
    ("Cape Verde", "Cabo Verde"),
    ("Swaziland", "Eswatini"),
    ("East Timor", "Timor-Leste"),
    ("Burma", "Myanmar"),
    ("Republic of the Congo", "Congo"),
    ("Congo-Brazzaville", "Congo"),
    ("DR Congo", "Democratic Republic of the Congo"),
    ("DRC", "Democratic Republic of the Congo"),
    (
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
    ),
    ("Congo-Kinshasa", "Democratic Republic of the Congo"),
    ("Slovak Republic", "Slovakia"),
    ("Republic of Cyprus", "Cyprus"),
    ("Hellenic Republic", "Greece"),
    // The EU's own code for Greece, used in EU documents beside "UK".
    ("EL", "Greece"),
    ("Republic of Ireland", "Ireland"),
    ("Federal Republic of Germany", "Germany"),
    ("Kyrgyz Republic", "Kyrgyzstan"),
    ("UAE", "United Arab Emirates"),
    ("State of Palestine", "Palestine"),
    ("Hong Kong SAR", "Hong Kong"),
    ("Hong Kong, China", "Hong Kong"),
    ("Macau", "Macao"),
    ("Macao SAR", "Macao"),
    ("Macao, China", "Macao"),
    ("Chinese Taipei", "Taiwan"),
    ("Vatican", "Holy See"),
    ("Vatican City", "Holy See"),
    ("People's Republic of China", "China"),
    ("Bosnia-Herzegovina", "Bosnia and Herzegovina"),
];

/// The form names are compared in: lower case, Latin diacritics and dots
/// dropped, hyphens and runs of spaces as one space, "&" as "and", "St" as
/// "Saint", typographic apostrophes as ', no leading "the" nor ISO's
/// trailing "(the)".
fn normalised(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            '.' => {}
            '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '_' => folded.push(' '),
            '\u{2019}' | '\u{2018}' | '`' | '\u{00b4}' => folded.push('\''),
            '&' => folded.push_str(" and "),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => folded.push('a'),
            'ç' => folded.push('c'),
            'è' | 'é' | 'ê' | 'ë' => folded.push('e'),
            'ì' | 'í' | 'î' | 'ï' => folded.push('i'),
            'ñ' => folded.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => folded.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => folded.push('u'),
            'ý' | 'ÿ' => folded.push('y'),
            other => folded.push(other),
        }
    }
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    if words.last() == Some(&"(the)") {
        words.pop();
    }
    let words: Vec<&str> = words
        .into_iter()
        .map(|w| if w == "st" { "saint" } else { w })
        .collect();
    words.join(" ")
}

/// Every known form, normalised, to its country; built once.
static INDEX: LazyLock<HashMap<String, &'static Country>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for country in &COUNTRIES {
        for form in [country.name, country.alpha2, country.alpha3] {
            index.insert(normalised(form), country);
        }
    }
    for (form, canonical) in ALIASES {
        if let Some(country) = COUNTRIES.iter().find(|c| c.name == *canonical) {
            index.insert(normalised(form), country);
        }
    }
    index
});

/// The country a name, alias or ISO code means, if any.
pub fn lookup(name: &str) -> Option<&'static Country> {
    INDEX.get(&normalised(name)).copied()
}

/// The country a name or alias means, not reading ISO codes: for lists
/// where a short capitalised name is more likely an organisation's
/// acronym ("FRA", the Fundamental Rights Agency, is not France).
pub fn lookup_name(name: &str) -> Option<&'static Country> {
    let country = lookup(name)?;
    let is_code = [country.alpha2, country.alpha3]
        .iter()
        .any(|code| code.eq_ignore_ascii_case(name.trim()));
    (!is_code).then_some(country)
}

/// Every country, in alphabetical order of the UN members first.
pub fn all() -> &'static [Country] {
    &COUNTRIES
}

/// Canonical names, for "did you mean" suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|c| c.name)
}

/// A calendar date as (year, month, day).
type Ymd = (i32, u8, u8);

/// EU membership by alpha-3 code: (code, accession, exit). The Union
/// counts from the Treaties of Rome in force (1958).
const EU_MEMBERS: &[(&str, Ymd, Option<Ymd>)] = &[
    ("BEL", (1958, 1, 1), None),
    ("FRA", (1958, 1, 1), None),
    ("DEU", (1958, 1, 1), None),
    ("ITA", (1958, 1, 1), None),
    ("LUX", (1958, 1, 1), None),
    ("NLD", (1958, 1, 1), None),
    ("DNK", (1973, 1, 1), None),
    ("IRL", (1973, 1, 1), None),
    ("GBR", (1973, 1, 1), Some((2020, 1, 31))),
    ("GRC", (1981, 1, 1), None),
    ("PRT", (1986, 1, 1), None),
    ("ESP", (1986, 1, 1), None),
    ("AUT", (1995, 1, 1), None),
    ("FIN", (1995, 1, 1), None),
    ("SWE", (1995, 1, 1), None),
    ("CYP", (2004, 5, 1), None),
    ("CZE", (2004, 5, 1), None),
    ("EST", (2004, 5, 1), None),
    ("HUN", (2004, 5, 1), None),
    ("LVA", (2004, 5, 1), None),
    ("LTU", (2004, 5, 1), None),
    ("MLT", (2004, 5, 1), None),
    ("POL", (2004, 5, 1), None),
    ("SVK", (2004, 5, 1), None),
    ("SVN", (2004, 5, 1), None),
    ("BGR", (2007, 1, 1), None),
    ("ROU", (2007, 1, 1), None),
    ("HRV", (2013, 7, 1), None),
];

fn date((y, m, d): Ymd) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// What the EU table says of a country on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EuStatus {
    Member,
    /// A state that was or will be a member, but not on that day.
    NotOnThatDay,
    /// Never a member.
    Never,
}

impl Country {
    pub fn eu_status(&self, day: Date) -> EuStatus {
        let Some((_, joined, left)) = EU_MEMBERS.iter().find(|(c, _, _)| *c == self.alpha3) else {
            return EuStatus::Never;
        };
        let after_joining = date(*joined).is_some_and(|j| day >= j);
        let before_leaving = left.and_then(date).is_none_or(|l| day <= l);
        if after_joining && before_leaving {
            EuStatus::Member
        } else {
            EuStatus::NotOnThatDay
        }
    }

    /// A member on every day from `start` to `end`. Membership changes only
    /// by accession or exit, so the two ends decide.
    pub fn eu_member_throughout(&self, start: Date, end: Date) -> bool {
        self.eu_status(start) == EuStatus::Member && self.eu_status(end) == EuStatus::Member
    }
}

/// The states that were EU members on `day`, by canonical name.
pub fn eu_members_on(day: Date) -> Vec<&'static str> {
    COUNTRIES
        .iter()
        .filter(|c| c.eu_status(day) == EuStatus::Member)
        .map(|c| c.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use time::macros::date;

    fn name_of(form: &str) -> Option<&'static str> {
        lookup(form).map(|c| c.name)
    }

    #[test]
    fn the_table_holds_the_un_members_once_each() {
        assert_eq!(COUNTRIES.iter().filter(|c| c.un_member).count(), 193);
        let mut seen = HashSet::new();
        for c in &COUNTRIES {
            assert!(seen.insert(c.name), "{} twice", c.name);
            assert!(seen.insert(c.alpha2), "{} twice", c.alpha2);
            assert!(seen.insert(c.alpha3), "{} twice", c.alpha3);
            assert_eq!(c.alpha2.len(), 2, "{}", c.name);
            assert_eq!(c.alpha3.len(), 3, "{}", c.name);
            // A canonical name finds itself: no alias shadows another country.
            assert_eq!(name_of(c.name), Some(c.name));
            assert_eq!(name_of(c.alpha2), Some(c.name));
            assert_eq!(name_of(c.alpha3), Some(c.name));
        }
        for (form, canonical) in ALIASES {
            assert_eq!(name_of(form), Some(*canonical), "{form}");
        }
    }

    #[test]
    fn name_forms_in_releases_resolve() {
        let cases = [
            ("the United Kingdom", "United Kingdom"),
            ("the UK", "United Kingdom"),
            ("UK", "United Kingdom"),
            ("U.K.", "United Kingdom"),
            ("Great Britain", "United Kingdom"),
            ("Czech Republic", "Czechia"),
            ("Czechia", "Czechia"),
            ("Turkey", "Türkiye"),
            ("Turkiye", "Türkiye"),
            ("Türkiye", "Türkiye"),
            ("Republic of Moldova", "Moldova"),
            ("the Republic of Moldova", "Moldova"),
            ("the Netherlands", "Netherlands"),
            ("Netherlands (the)", "Netherlands"),
            ("North Macedonia", "North Macedonia"),
            (
                "the former Yugoslav Republic of Macedonia",
                "North Macedonia",
            ),
            ("United States", "United States"),
            ("USA", "United States"),
            ("the US", "United States"),
            ("U.S.", "United States"),
            ("Côte d'Ivoire", "Côte d'Ivoire"),
            ("Côte d’Ivoire", "Côte d'Ivoire"),
            ("Cote d'Ivoire", "Côte d'Ivoire"),
            ("Ivory Coast", "Côte d'Ivoire"),
            ("Guinea Bissau", "Guinea-Bissau"),
            ("St Kitts & Nevis", "Saint Kitts and Nevis"),
            ("Sao Tome and Principe", "São Tomé and Príncipe"),
            ("Kosovo", "Kosovo"),
            ("Hong Kong, China", "Hong Kong"),
            ("Macau", "Macao"),
        ];
        for (form, canonical) in cases {
            assert_eq!(name_of(form), Some(canonical), "{form}");
        }
    }

    #[test]
    fn codes_and_case_do_not_matter() {
        for form in [
            "GB",
            "gb",
            "GBR",
            "gbr",
            "Gbr",
            "UNITED KINGDOM",
            "united kingdom",
        ] {
            assert_eq!(name_of(form), Some("United Kingdom"), "{form}");
        }
        assert_eq!(name_of("CZ"), Some("Czechia"));
        assert_eq!(name_of("cze"), Some("Czechia"));
        assert_eq!(name_of("XK"), Some("Kosovo"));
        assert_eq!(name_of("EL"), Some("Greece"));
        assert_eq!(name_of("DE"), Some("Germany"));
        assert_eq!(name_of("deu"), Some("Germany"));
    }

    #[test]
    fn names_without_codes_skip_acronyms() {
        assert_eq!(lookup_name("FRA"), None);
        assert_eq!(lookup_name("GB"), None);
        assert_eq!(
            lookup_name("the UK").map(|c| c.name),
            Some("United Kingdom")
        );
        assert_eq!(lookup_name("France").map(|c| c.name), Some("France"));
    }

    #[test]
    fn other_names_are_not_countries() {
        for name in [
            "Europol",
            "Bavaria State Police",
            "Borduria",
            "the",
            "",
            "Germny",
            "EU",
        ] {
            assert_eq!(name_of(name), None, "{name}");
        }
    }

    #[test]
    fn eu_membership_follows_accession_and_exit_whatever_the_name_form() {
        let status = |form: &str, day| lookup(form).map(|c| c.eu_status(day));
        for form in [
            "United Kingdom",
            "the United Kingdom",
            "the UK",
            "GB",
            "GBR",
        ] {
            assert_eq!(status(form, date!(2019 - 06 - 01)), Some(EuStatus::Member));
            assert_eq!(status(form, date!(2020 - 01 - 31)), Some(EuStatus::Member));
            assert_eq!(
                status(form, date!(2020 - 02 - 01)),
                Some(EuStatus::NotOnThatDay)
            );
            assert_eq!(
                status(form, date!(2021 - 06 - 01)),
                Some(EuStatus::NotOnThatDay)
            );
        }
        assert_eq!(
            status("Croatia", date!(2013 - 06 - 30)),
            Some(EuStatus::NotOnThatDay)
        );
        assert_eq!(status("HR", date!(2013 - 07 - 01)), Some(EuStatus::Member));
        assert_eq!(
            status("Turkey", date!(2023 - 11 - 13)),
            Some(EuStatus::Never)
        );
        let uk = lookup("UK")
            .map(|c| c.eu_member_throughout(date!(2020 - 01 - 20), date!(2020 - 02 - 03)));
        assert_eq!(uk, Some(false), "left during the operation");
        assert_eq!(eu_members_on(date!(2023 - 11 - 13)).len(), 27);
        assert_eq!(eu_members_on(date!(2019 - 11 - 13)).len(), 28);
        // Every code in the EU table is in the country table.
        for (code, _, _) in EU_MEMBERS {
            assert!(lookup(code).is_some(), "{code}");
        }
    }
}
