//! Synthetic operations for tests and benchmarks (`opbrief demo`).
//!
//! [`generate`] returns the files of a complete operation folder: an
//! `operation.toml` marked SYNTHETIC, one return per reporter and day over
//! the default catalogue, and a consolidated return. Everything comes from
//! a seeded [`SplitMix64`] — never the clock or a hash map's order — so the
//! same [`Spec`] gives byte-identical files on every machine.
//!
//! The folder is realistic enough to exercise every stage (parts that add
//! up, partial breakdowns, qualified figures now and then, decimals in kg)
//! and carries three deliberate inconsistencies that `opbrief check` must
//! find — see [`Planted`].
//!
//! Large return counts come from more reporters, not an absurdly long
//! period: beyond `countries × days`, regional units (one group of kind
//! `other`) report alongside their countries.

use std::fmt::Write as _;
use std::path::PathBuf;
use time::{Date, Duration};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Participating countries: real EU Member States first, then fictional states.
    pub countries: usize,
    /// Action days, from 4 March 2024.
    pub days: usize,
    /// Participant returns; `None` for one per country and day.
    pub returns: Option<usize>,
    pub seed: u64,
}

impl Spec {
    pub const MAX_COUNTRIES: usize = 200;
    pub const MAX_DAYS: usize = 366;
    pub const MAX_RETURNS: usize = 1_000_000;

    /// The number of participant returns this spec asks for.
    pub fn return_count(&self) -> usize {
        self.returns
            .unwrap_or(self.countries.saturating_mul(self.days))
    }

    fn validate(&self) -> Result<(), SpecError> {
        let check = |option, found: usize, max: usize| {
            if (1..=max).contains(&found) {
                Ok(())
            } else {
                Err(SpecError { option, found, max })
            }
        };
        check("--countries", self.countries, Self::MAX_COUNTRIES)?;
        check("--days", self.days, Self::MAX_DAYS)?;
        check("--returns", self.return_count(), Self::MAX_RETURNS)
    }
}

/// A spec value out of range: the option, what was given, the largest allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    pub option: &'static str,
    pub found: usize,
    pub max: usize,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} must be 1 to {}, found {}",
            self.option, self.max, self.found
        )
    }
}

impl std::error::Error for SpecError {}

/// One file of the generated folder, by path relative to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFile {
    pub path: PathBuf,
    pub text: String,
}

/// The deliberate inconsistencies, for tests and the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Planted {
    /// Return file whose stated arrests exceed their parts by one
    /// (`parts-differ-from-total`).
    pub parts_mismatch: Option<String>,
    /// Return file whose officers figure has an extra digit
    /// (`implausible-day-figure`); needs a reporter with three days or more.
    pub extra_digit: Option<String>,
    /// The consolidated illegal-entries figure disagrees with the returns
    /// (`returns-differ-from-consolidated`).
    pub consolidated_mismatch: bool,
}

/// A generated operation folder.
#[derive(Clone, Debug)]
pub struct Demo {
    pub id: String,
    pub files: Vec<DemoFile>,
    pub planted: Planted,
    pub reporters: usize,
    pub returns: usize,
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and well mixed — all a
/// test-data generator needs, and no dependency whose stream could change.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high` (the tiny modulo bias is irrelevant here).
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// EU Member States on the demo's dates, in the order countries are taken.
const EU: [&str; 27] = [
    "Austria",
    "Belgium",
    "Bulgaria",
    "Croatia",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Ireland",
    "Italy",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Malta",
    "Netherlands",
    "Poland",
    "Portugal",
    "Romania",
    "Slovakia",
    "Slovenia",
    "Spain",
    "Sweden",
];

/// Fictional states for the non-EU group: no membership check can match them.
const FICTIONAL: [&str; 12] = [
    "Borduria",
    "Syldavia",
    "Freedonia",
    "Ruritania",
    "Elbonia",
    "Genovia",
    "Latveria",
    "Grand Fenwick",
    "Zubrowka",
    "Carpania",
    "Estrovia",
    "Moravania",
];

/// A figure as it is written in a return.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fig {
    Count(u64),
    /// kg with one decimal, written as a TOML float (`12.5`).
    Tenths(u64),
    /// A qualified figure in words (`"more than 40 kg"`).
    Words(String),
}

impl Fig {
    fn toml(&self) -> String {
        match self {
            Fig::Count(n) => n.to_string(),
            Fig::Tenths(t) => format!("{}.{}", t / 10, t % 10),
            Fig::Words(w) => format!("\"{w}\""),
        }
    }
}

/// One metric of a return: a plain figure, or a total and/or parts.
#[derive(Clone, Debug)]
struct Entry {
    key: &'static str,
    total: Option<Fig>,
    parts: Vec<(&'static str, Fig)>,
}

impl Entry {
    fn plain(key: &'static str, fig: Fig) -> Self {
        Entry {
            key,
            total: Some(fig),
            parts: Vec::new(),
        }
    }

    /// The exact total: the stated one, else the sum of exact parts.
    fn exact_total(&self) -> u64 {
        match &self.total {
            Some(Fig::Count(n)) => *n,
            _ => self.exact_total_of_parts(),
        }
    }

    fn exact_total_of_parts(&self) -> u64 {
        self.parts
            .iter()
            .map(|(_, f)| match f {
                Fig::Count(n) => *n,
                _ => 0,
            })
            .sum()
    }
}

struct Ret {
    reporter: usize,
    day: usize,
    entries: Vec<Entry>,
}

impl Ret {
    fn entry_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }
}

/// A reporter's habits: which metrics it reports and its usual sizes, so its
/// days resemble each other (the plausibility check compares them).
struct Profile {
    /// Size of the reporter relative to an average one, in percent.
    scale: u64,
    coastal: bool,
    cyber: bool,
    cash: bool,
    plants: bool,
    /// How many weapon types and drug kinds it names in its breakdowns.
    weapon_types: usize,
    drug_kinds: usize,
}

struct Reporter {
    name: String,
    slug: String,
    profile: Profile,
}

/// Generates the folder for `spec`; the same spec gives the same bytes.
pub fn generate(spec: &Spec) -> Result<Demo, SpecError> {
    spec.validate()?;
    let mut rng = SplitMix64::new(spec.seed);
    let start = time::macros::date!(2024 - 03 - 04);
    let day = |d: usize| start + Duration::days(d as i64);
    let total_returns = spec.return_count();

    let eu_count = spec
        .countries
        .min(EU.len())
        .min((spec.countries * 2).div_ceil(3));
    let mut names: Vec<String> = EU.iter().take(eu_count).map(|s| s.to_string()).collect();
    let non_eu: Vec<String> = (0..spec.countries - eu_count)
        .map(|i| match FICTIONAL.get(i) {
            Some(name) => name.to_string(),
            None => format!("Fictional State {:03}", i + 1),
        })
        .collect();
    names.extend(non_eu.iter().cloned());
    // Beyond one return per country and day, regional units report too.
    let reporter_count = spec.countries.max(total_returns.div_ceil(spec.days));
    let units: Vec<String> = (spec.countries..reporter_count)
        .map(|i| {
            let country = &names[i % spec.countries];
            format!("{country} Region {:03}", i / spec.countries)
        })
        .collect();
    let reporters: Vec<Reporter> = names
        .iter()
        .chain(&units)
        .map(|name| Reporter {
            slug: slug(name),
            name: name.clone(),
            profile: Profile {
                scale: rng.range(30, 300),
                coastal: rng.chance(30),
                cyber: rng.chance(35),
                cash: rng.chance(50),
                plants: rng.chance(25),
                weapon_types: rng.range(1, WEAPON_TYPES.len() as u64) as usize,
                drug_kinds: rng.range(0, DRUG_KINDS.len() as u64) as usize,
            },
        })
        .collect();

    // Day by day, every reporter; the last day is cut short when the count
    // asks for it (late returns happen).
    let mut returns: Vec<Ret> = Vec::with_capacity(total_returns);
    'days: for d in 0..spec.days {
        for (r, reporter) in reporters.iter().enumerate() {
            if returns.len() == total_returns {
                break 'days;
            }
            returns.push(Ret {
                reporter: r,
                day: d,
                entries: daily_entries(&mut rng, &reporter.profile),
            });
        }
    }
    let file_of = |ret: &Ret| {
        format!(
            "returns/{}-{}.toml",
            reporters[ret.reporter].slug,
            day(ret.day)
        )
    };

    let mut planted = Planted::default();
    // A stated arrests total one above its parts.
    let index = rng.range(0, returns.len() as u64 - 1) as usize;
    if let Some(arrests) = returns[index].entry_mut("arrests") {
        let parts: u64 = arrests.exact_total_of_parts();
        arrests.total = Some(Fig::Count(parts + 1));
        planted.parts_mismatch = Some(file_of(&returns[index]));
    }
    // An extra digit typed into one day's officers, for a reporter with
    // enough days for a median to mean something.
    let mut days_of = vec![0usize; reporters.len()];
    for ret in &returns {
        days_of[ret.reporter] += 1;
    }
    let candidates: Vec<usize> = (0..reporters.len()).filter(|&r| days_of[r] >= 3).collect();
    if !candidates.is_empty() {
        // Its busiest day: ten times that is ten times its median too.
        let reporter = candidates[rng.range(0, candidates.len() as u64 - 1) as usize];
        let officers = |ret: &Ret| {
            ret.entries
                .iter()
                .find(|e| e.key == "officers")
                .map(Entry::exact_total)
                .unwrap_or(0)
        };
        let index = (0..returns.len())
            .filter(|&i| returns[i].reporter == reporter)
            .max_by_key(|&i| (officers(&returns[i]), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let digit = rng.range(1, 9);
        if let Some(Entry {
            total: Some(Fig::Count(n)),
            ..
        }) = returns[index].entry_mut("officers")
        {
            *n = *n * 10 + digit;
            planted.extra_digit = Some(file_of(&returns[index]));
        }
    }

    let mut files = Vec::with_capacity(returns.len() + 2);
    let id = format!(
        "synthetic-{}c-{}d-{}r-s{}",
        spec.countries, spec.days, total_returns, spec.seed
    );
    let end = day(spec.days - 1);
    files.push(DemoFile {
        path: "operation.toml".into(),
        text: operation_toml(spec, &id, start, end, &names[..eu_count], &non_eu, &units),
    });
    files.push(DemoFile {
        path: "returns/consolidated.toml".into(),
        text: consolidated(&returns, &mut planted),
    });
    for ret in &returns {
        let reporter = &reporters[ret.reporter];
        let mut text = format!("reporter = \"{}\"\nday = {}\n", reporter.name, day(ret.day));
        write_figures(&mut text, &ret.entries);
        files.push(DemoFile {
            path: file_of(ret).into(),
            text,
        });
    }
    Ok(Demo {
        id,
        files,
        planted,
        reporters: reporters.len(),
        returns: returns.len(),
    })
}

/// `base` (an average reporter's day) scaled to the reporter and varied by
/// ±40 % from day to day — never the tenfold swing the plausibility check
/// looks for.
fn sized(rng: &mut SplitMix64, profile: &Profile, base: u64) -> u64 {
    base * profile.scale * rng.range(60, 140) / 10_000
}

fn daily_entries(rng: &mut SplitMix64, p: &Profile) -> Vec<Entry> {
    let mut entries = vec![Entry::plain(
        "officers",
        Fig::Count(sized(rng, p, 300).max(5)),
    )];
    if rng.chance(40) {
        entries.push(Entry::plain(
            "investigations_initiated",
            Fig::Count(sized(rng, p, 3)),
        ));
    }
    if rng.chance(30) {
        entries.push(Entry::plain("new_cases", Fig::Count(sized(rng, p, 2))));
    }
    entries.push(Entry::plain(
        "illegal_entries",
        Fig::Count(sized(rng, p, 15)),
    ));
    if rng.chance(25) {
        entries.push(Entry::plain(
            "forged_documents",
            Fig::Count(sized(rng, p, 3)),
        ));
    }
    if rng.chance(35) {
        entries.push(Entry::plain("ammunition", Fig::Count(sized(rng, p, 120))));
    }
    if p.plants && rng.chance(60) {
        entries.push(Entry::plain(
            "cannabis_plants",
            Fig::Count(sized(rng, p, 80)),
        ));
    }
    if p.cash && rng.chance(40) {
        let euros = sized(rng, p, 12_000);
        // Now and then a cash figure is only known roughly.
        let fig = if euros >= 2_000 && rng.chance(10) {
            Fig::Words(format!("about {} EUR", euros / 1_000 * 1_000))
        } else {
            Fig::Count(euros)
        };
        entries.push(Entry::plain("cash", fig));
    }

    // Entities checked: exhaustive parts, the total stated about half the time.
    let mut parts = vec![
        ("persons", Fig::Count(sized(rng, p, 4_000) + 20)),
        ("vehicles", Fig::Count(sized(rng, p, 1_200))),
    ];
    if rng.chance(60) {
        parts.push(("parcels", Fig::Count(sized(rng, p, 150))));
    }
    if rng.chance(50) {
        parts.push(("premises", Fig::Count(sized(rng, p, 25))));
    }
    if p.coastal {
        parts.push(("vessels", Fig::Count(sized(rng, p, 6))));
        parts.push(("containers", Fig::Count(sized(rng, p, 20))));
    }
    entries.push(breakdown(rng, "entities_checked", parts, 50));

    let mut parts = vec![
        ("migrant_smuggling", Fig::Count(sized(rng, p, 4))),
        ("drug_trafficking", Fig::Count(sized(rng, p, 3))),
        ("other", Fig::Count(sized(rng, p, 2))),
    ];
    if rng.chance(40) {
        parts.push(("firearms_trafficking", Fig::Count(sized(rng, p, 2))));
    }
    if rng.chance(15) {
        parts.push(("trafficking_in_human_beings", Fig::Count(sized(rng, p, 1))));
    }
    entries.push(breakdown(rng, "arrests", parts, 70));

    if rng.chance(45) {
        // The total first, then split: how many types happen to be named
        // must not swing the day's total (the plausibility check compares days).
        let total = sized(rng, p, 8).max(1);
        let parts = split(total, &WEAPON_TYPES[..p.weapon_types], 100);
        entries.push(breakdown(rng, "weapons", parts, 60));
    }

    if rng.chance(55) {
        // Drugs: a partial breakdown in kg with one decimal; the parts
        // name at most 90 % of the total.
        let total = sized(rng, p, 400).max(10);
        let parts: Vec<(&'static str, u64)> = split(total, &DRUG_KINDS[..p.drug_kinds], 90)
            .into_iter()
            .filter_map(|(k, f)| match f {
                Fig::Count(t) if t > 0 => Some((k, t)),
                _ => None,
            })
            .collect();
        let listed: u64 = parts.iter().map(|(_, t)| t).sum();
        let total = if total > 100 && rng.chance(8) {
            // "more than N kg" with N at or above the listed parts, so the
            // partial breakdown still holds.
            Fig::Words(format!(
                "more than {} kg",
                (total / 10).max(listed.div_ceil(10))
            ))
        } else {
            Fig::Tenths(total)
        };
        entries.push(Entry {
            key: "drugs",
            total: Some(total),
            parts: parts
                .into_iter()
                .map(|(k, t)| (k, Fig::Tenths(t)))
                .collect(),
        });
    }

    if p.cyber && rng.chance(70) {
        let mut parts = vec![("messaging", Fig::Count(sized(rng, p, 5)))];
        for (key, base) in [("marketplaces", 2), ("clear_web", 2), ("dark_web", 1)] {
            if rng.chance(50) {
                parts.push((key, Fig::Count(sized(rng, p, base))));
            }
        }
        entries.push(breakdown(rng, "online_targets", parts, 50));
    }
    entries
}

const WEAPON_TYPES: [&str; 6] = [
    "pistols",
    "rifles",
    "revolvers",
    "automatic",
    "shotguns",
    "other",
];
const DRUG_KINDS: [&str; 4] = ["cocaine", "cannabis", "heroin", "synthetic"];

/// `share` percent of `total` over `keys` in fixed proportions (the first
/// key the largest), the last key taking the rounding remainder so an
/// exhaustive split adds up exactly. Fixed proportions keep each part as
/// steady from day to day as the total.
fn split(total: u64, keys: &[&'static str], share: u64) -> Vec<(&'static str, Fig)> {
    let n = keys.len() as u64;
    let weights = n * (n + 1) / 2;
    let shared = total * share / 100;
    let mut left = shared;
    let mut parts = Vec::with_capacity(keys.len());
    for (i, &key) in keys.iter().enumerate() {
        let amount = if i + 1 == keys.len() {
            left
        } else {
            shared * (n - i as u64) / weights
        };
        left -= amount;
        parts.push((key, Fig::Count(amount)));
    }
    parts
}

/// An exhaustive breakdown whose total is stated `percent` of the time.
fn breakdown(
    rng: &mut SplitMix64,
    key: &'static str,
    parts: Vec<(&'static str, Fig)>,
    percent: u64,
) -> Entry {
    let mut entry = Entry {
        key,
        total: None,
        parts,
    };
    if rng.chance(percent) {
        entry.total = Some(Fig::Count(entry.exact_total_of_parts()));
    }
    entry
}

/// The coordination's totals, summed from the returns, for metrics that are
/// exact everywhere; illegal entries carry a transposition.
fn consolidated(returns: &[Ret], planted: &mut Planted) -> String {
    let keys = [
        "officers",
        "illegal_entries",
        "ammunition",
        "entities_checked",
        "arrests",
        "weapons",
    ];
    let sums: Vec<(&str, u64)> = keys
        .iter()
        .map(|&key| {
            let sum = returns
                .iter()
                .flat_map(|r| r.entries.iter().filter(|e| e.key == key))
                .map(Entry::exact_total)
                .sum();
            (key, sum)
        })
        .collect();
    let mut text = String::from(
        "# The coordination's consolidated figures for the whole operation.\n\
         # SYNTHETIC: illegal_entries deliberately disagrees with the returns.\n\
         reporter = \"coordination\"\n\n[figures]\n",
    );
    let mut tables = String::new();
    for (key, sum) in sums {
        if sum == 0 {
            continue;
        }
        let figure = if key == "illegal_entries" {
            planted.consolidated_mismatch = true;
            transposed(sum)
        } else {
            sum
        };
        if ["officers", "illegal_entries", "ammunition"].contains(&key) {
            let _ = writeln!(text, "{key} = {figure}");
        } else {
            let _ = write!(tables, "\n[figures.{key}]\ntotal = {figure}\n");
        }
    }
    text.push_str(&tables);
    text
}

/// A typing slip: the last two digits swapped, or ten added when swapping
/// would change nothing.
fn transposed(n: u64) -> u64 {
    let (last, tens) = (n % 10, n / 10 % 10);
    if n >= 10 && last != tens {
        n - last - tens * 10 + last * 10 + tens
    } else {
        n + 10
    }
}

fn write_figures(text: &mut String, entries: &[Entry]) {
    text.push_str("\n[figures]\n");
    // TOML needs the plain keys before the first sub-table.
    for entry in entries.iter().filter(|e| e.parts.is_empty()) {
        if let Some(total) = &entry.total {
            let _ = writeln!(text, "{} = {}", entry.key, total.toml());
        }
    }
    for entry in entries.iter().filter(|e| !e.parts.is_empty()) {
        let _ = write!(text, "\n[figures.{}]\n", entry.key);
        if let Some(total) = &entry.total {
            let _ = writeln!(text, "total = {}", total.toml());
        }
        for (part, fig) in &entry.parts {
            let _ = writeln!(text, "{part} = {}", fig.toml());
        }
    }
}

fn operation_toml(
    spec: &Spec,
    id: &str,
    start: Date,
    end: Date,
    eu: &[String],
    non_eu: &[String],
    units: &[String],
) -> String {
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("  \"{n}\",\n"))
            .collect::<String>()
    };
    let returns = spec.return_count();
    let mut text = format!(
        "# SYNTHETIC OPERATION — generated by `opbrief demo --countries {c} --days {d} \
         --returns {returns} --seed {seed}`.\n\
         # Not real data: figures are random but plausible, for tests and benchmarks.\n\
         # Planted on purpose: one return whose arrests exceed their parts, one day\n\
         # figure with an extra digit, and a consolidated figure that disagrees.\n\n\
         id = \"{id}\"\n\
         name = \"SYNTHETIC Joint Action Days ({c} countries, {d} days, seed {seed})\"\n\
         short_name = \"SYNTHETIC JAD {c}x{d}\"\n\
         region = \"Europe\"\n\
         description = \"Synthetic test data generated by opbrief demo; no figure refers to a real operation.\"\n\
         start = {start}\n\
         end = {end}\n\
         published = {published}\n\
         coordinator = \"{coordinator}\"\n\
         coordination_centre = \"The Hague, Netherlands\"\n\
         marking = \"SYNTHETIC TEST DATA\"\n\
         countries = {c}\n\n\
         [[references]]\n\
         title = \"Synthetic returns generated by opbrief demo (seed {seed})\"\n",
        c = spec.countries,
        d = spec.days,
        seed = spec.seed,
        published = end + Duration::days(5),
        coordinator = eu.first().map(String::as_str).unwrap_or("Europol"),
    );
    let _ = write!(
        text,
        "\n[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\n{}]\n",
        list(eu)
    );
    if !non_eu.is_empty() {
        let _ = write!(
            text,
            "\n[[groups]]\nlabel = \"Non-EU countries (fictional)\"\nkind = \"non-eu-countries\"\nmembers = [\n{}]\n",
            list(non_eu)
        );
    }
    if !units.is_empty() {
        let _ = write!(
            text,
            "\n[[groups]]\nlabel = \"Regional units\"\nkind = \"other\"\nmembers = [\n{}]\n",
            list(units)
        );
        // Each unit counts under its country ("Cyprus Region 016" → Cyprus).
        text.push_str("\n[part_of]\n");
        for unit in units {
            if let Some((country, _)) = unit.rsplit_once(" Region ") {
                let _ = writeln!(text, "\"{unit}\" = \"{country}\"");
            }
        }
    }
    text.push_str(
        "\n[[groups]]\nlabel = \"EU agencies\"\nkind = \"eu-agencies\"\nmembers = [\"Europol\", \"Frontex\"]\n",
    );
    text
}

/// A file-name stem: lower-case ASCII letters and digits joined by `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_stream() {
        // First outputs for seed 0 from the reference C implementation.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn transposition_changes_the_figure() {
        assert_eq!(transposed(1234), 1243);
        assert_eq!(transposed(1233), 1243);
        assert_eq!(transposed(7), 17);
    }

    #[test]
    fn large_counts_add_regional_units() {
        let spec = Spec {
            countries: 5,
            days: 4,
            returns: Some(50),
            seed: 3,
        };
        let demo = generate(&spec).unwrap();
        assert_eq!(demo.returns, 50);
        assert_eq!(demo.reporters, 13);
        // operation.toml, consolidated.toml and one file per return.
        assert_eq!(demo.files.len(), 52);
    }

    #[test]
    fn bad_sizes_are_refused() {
        let spec = |countries, days| Spec {
            countries,
            days,
            returns: None,
            seed: 1,
        };
        assert!(generate(&spec(0, 6)).is_err());
        assert!(generate(&spec(26, 0)).is_err());
        assert!(generate(&spec(26, 400)).is_err());
    }
}
