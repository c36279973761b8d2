//! Narrate: Totals + templates → every sentence opbrief writes.
//!
//! Templates live in templates/text/ and may be overridden per operation by
//! a file of the same name in `<operation>/templates/text/`. Load reads them
//! (only these known names, through the containment check) into
//! `Operation::templates`; narrate reads no file, so it can run at check
//! time as a dry run of the documents' words.

pub mod view;

use crate::aggregate::Totals;
use crate::check::Findings;
use crate::model::{Operation, Templates};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::fmt;
use view::View;

/// Every text block, rendered once, for the renderers to place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts {
    pub headline: String,
    pub lead: String,
    pub summary: String,
    /// Chart caption per metric key.
    pub captions: BTreeMap<String, String>,
    /// Captions of the per-reporter and per-day charts, by metric key.
    pub reporter_captions: BTreeMap<String, String>,
    pub day_captions: BTreeMap<String, String>,
    pub data_quality: String,
    pub press_release: String,
}

/// A template that could not be read or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "template {}:{line}: {}", self.template, self.message),
            None => write!(f, "template {}: {}", self.template, self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

fn template_error(name: &str, error: &minijinja::Error) -> TemplateError {
    let mut message = error.kind().to_string();
    if let Some(detail) = error.detail() {
        message = format!("{message}: {detail}");
    }
    if error.kind() == minijinja::ErrorKind::OutOfFuel {
        message.push_str(
            " (it does far more work than this operation's figures need: a loop too large?)",
        );
    }
    if error.kind() == minijinja::ErrorKind::UndefinedError {
        message.push_str(
            " (a metric, field or variable that does not exist; metric keys are in the catalogue)",
        );
    }
    TemplateError {
        template: error.name().unwrap_or(name).to_string(),
        line: error.line(),
        message,
    }
}

/// The auto-escape mode of Markdown templates.
const MARKDOWN: &str = "markdown";

/// Backslash-escapes what would make Markdown turn text into markup that
/// acts: raw HTML and entities (`<`, `>`, `&`), links and images (`[`, `]`),
/// code spans, table cells (`|`) and the escape itself. CommonMark renders
/// `\<` as `<`, so the text reads the same. A value is one paragraph: its
/// line breaks become spaces, so it cannot open a block of its own; and
/// what would open one where a value starts a line (a heading `# `, a list
/// item `- `, `+ `, `* `, `1. `, a rule `---`) is escaped too. Emphasis
/// characters elsewhere (`*`, `_`) are left alone: at worst they change the
/// look, and the releases write "Kosovo*" with its footnote "*This
/// designation …" just so.
pub fn escape_markdown(text: &str) -> String {
    let one_line: String = text
        .split(['\r', '\n'])
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(one_line.len() + 8);
    let block_marker = block_marker_len(&one_line);
    for (i, c) in one_line.char_indices() {
        if matches!(c, '\\' | '`' | '[' | ']' | '<' | '>' | '&' | '|') || i + 1 == block_marker {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// When `text` starts with what opens a Markdown block, the byte position
/// just after the character to escape (so `i + 1` matches it); else 0.
fn block_marker_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ends_marker = |at: usize| bytes.get(at).is_none_or(|&b| b == b' ' || b == b'\t');
    match bytes.first() {
        Some(b'#') | Some(b'-') | Some(b'+') | Some(b'*') | Some(b'_') | Some(b'=')
            if ends_marker(1) || bytes.get(1) == bytes.first() =>
        {
            1
        }
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') if ends_marker(digits + 1) => digits + 1,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// "A, B and C".
fn join_and(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "law enforcement …" → "Law enforcement …" at the start of a sentence,
/// leaving the rest alone (minijinja's `capitalize` lower-cases it, which
/// would turn "EU Member States" into "eu member states"). Text already
/// escaped for Markdown stays marked so, not escaped twice.
fn upper_first(value: Value) -> Value {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string);
    let mut chars = text.chars();
    let upper: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if value.is_safe() {
        Value::from_safe_string(upper)
    } else {
        Value::from(upper)
    }
}

/// `3|words` → "three"; 10 and up stay digits.
fn words(n: u64) -> String {
    view::number_words(n)
}

/// The shipped text of every template this operation does not override:
/// inputs of a build beside the operation's own files (an override is one
/// of those, in `Operation::sources`).
pub fn template_sources(op: &Operation) -> Vec<(String, String)> {
    op.templates
        .iter()
        .filter(|t| t.source.is_none())
        .map(|t| (t.name.to_string(), t.text.clone()))
        .collect()
}

/// The template environment with every template compiled: a syntax error
/// is reported here, naming the template and line. The environment has no
/// loader, so a template can import or include only these templates.
pub fn environment(templates: &Templates) -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("join_and", join_and);
    env.add_filter("upper_first", upper_first);
    env.add_filter("words", words);
    // Values printed into Markdown (the press release) are escaped so a
    // participant called `<script>` or `[x](javascript:…)` stays text when
    // the release is pasted into a site that renders Markdown. The plain
    // text blocks (.j2) are not escaped: the PDF and workbooks print them
    // as text.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md.j2") {
            AutoEscape::Custom(MARKDOWN)
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == AutoEscape::Custom(MARKDOWN) && !value.is_safe() {
            match value.as_str() {
                Some(text) => out.write_str(&escape_markdown(text)),
                None => out.write_str(&escape_markdown(&value.to_string())),
            }
            .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    for template in templates.iter() {
        env.add_template_owned(template.name.to_string(), template.text.clone())
            .map_err(|e| template_error(template.name, &e))?;
    }
    Ok(env)
}

/// The templates of one operation, with the limits that keep a template
/// from running away: fuel (minijinja counts the instructions of each
/// render) and a size cap on each text, both sized from the operation so
/// `check` and `build` apply the same ones and a 1 667-reporter operation
/// passes.
struct Renderer<'e> {
    env: &'e Environment<'static>,
    cap: usize,
}

impl Renderer<'_> {
    fn text(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        let mut out = Capped {
            text: Vec::new(),
            cap: self.cap,
        };
        template
            .render_captured_to(context, &mut out)
            .map_err(|e| match e.kind() {
                minijinja::ErrorKind::WriteFailure => TemplateError {
                    template: name.to_string(),
                    line: e.line(),
                    message: format!(
                        "the text it writes grows past {} bytes for this operation",
                        self.cap
                    ),
                },
                _ => template_error(name, &e),
            })?;
        String::from_utf8(out.text).map_err(|_| TemplateError {
            template: name.to_string(),
            line: None,
            message: "it wrote text that is not UTF-8".into(),
        })
    }

    /// A one-line block: the template's text with its whitespace collapsed.
    fn line(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        // ASCII only: the no-break spaces inside numbers must stay.
        let text = self.text(name, context)?;
        Ok(text
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" "))
    }
}

/// A buffer that refuses to grow past `cap`, so a runaway template stops
/// as it writes, not after.
struct Capped {
    text: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + bytes.len() > self.cap {
            return Err(std::io::Error::other("text too long"));
        }
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How much an operation's texts may cost: a base for the fixed wording,
/// and a share per metric, participant, group, footnote and activity.
fn limits(op: &Operation) -> (u64, usize) {
    let things = op.catalogue.len()
        + op.participants.len()
        + op.groups.len()
        + op.footnotes.len()
        + op.activities.len();
    let fuel = 200_000 + 2_000 * things as u64;
    let cap = 256 * 1024 + 2 * 1024 * things;
    (fuel, cap)
}

/// Every text block for this operation. Reads no file: `check` runs it as
/// a dry run, so a template that cannot render for these figures is found
/// before `build`.
pub fn narrate(
    op: &Operation,
    totals: &Totals,
    findings: &Findings,
) -> Result<Texts, TemplateError> {
    let mut env = environment(&op.templates)?;
    let (fuel, cap) = limits(op);
    env.set_fuel(Some(fuel));
    let r = Renderer { env: &env, cap };
    let view: View = view::view(op, totals, findings);
    let context = Value::from_serialize(&view);
    let mut captions = BTreeMap::new();
    for metric in op.catalogue.breakdowns() {
        let metric_view = view::metric(op, totals, metric.id);
        if !metric_view.has_value && metric_view.parts.is_empty() {
            continue;
        }
        let context = minijinja::context! { metric => metric_view, ..context.clone() };
        captions.insert(metric.key.clone(), r.line("caption.j2", &context)?);
    }
    let mut reporter_captions = BTreeMap::new();
    let mut day_captions = BTreeMap::new();
    for id in view::reporter_chart_metrics(op, totals) {
        let metric_view = view::metric(op, totals, id);
        for (by, captions) in [
            ("reporter", &mut reporter_captions),
            ("day", &mut day_captions),
        ] {
            let context =
                minijinja::context! { metric => &metric_view, by => by, ..context.clone() };
            captions.insert(
                metric_view.key.clone(),
                r.line("reporter-caption.j2", &context)?,
            );
        }
    }
    let headline = r.line("headline.j2", &context)?;
    let lead = r.line("lead.j2", &context)?;
    let summary = r.line("summary.j2", &context)?;
    let data_quality = r.line("data-quality.j2", &context)?;
    // The release places the blocks above, so it says the same words.
    let release_context = minijinja::context! {
        headline => &headline, lead => &lead, summary => &summary, ..context.clone()
    };
    let press_release = r.text("press-release.md.j2", &release_context)?;
    Ok(Texts {
        headline,
        lead,
        summary,
        captions,
        reporter_captions,
        day_captions,
        data_quality,
        press_release,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::Totals;
    use std::path::Path;

    #[test]
    fn markdown_values_open_no_block_and_no_table() {
        let cases = [
            ("# Heading", "\\# Heading"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("* item", "\\* item"),
            ("---", "\\---"),
            ("12. point", "12\\. point"),
            ("3) point", "3\\) point"),
            ("a | b", "a \\| b"),
            ("one\n\n# two\r\n- three", "one # two - three"),
            // Not markers: kept as written.
            ("1.2 t of cocaine", "1.2 t of cocaine"),
            ("+4 since revision 1", "+4 since revision 1"),
            ("Kosovo*", "Kosovo*"),
            ("*This designation", "*This designation"),
            ("#1 priority", "#1 priority"),
        ];
        for (text, escaped) in cases {
            assert_eq!(escape_markdown(text), escaped, "{text:?}");
        }
    }

    /// An operation folder with `operation` (after the identity lines) and
    /// one consolidated return with `figures`, narrated.
    fn narrated(dates: (&str, &str), operation: &str, figures: &str) -> Texts {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let text = format!(
            "id = \"t\"\nname = \"Operation Test\"\nstart = {}\nend = {}\nmarking = \"PUBLIC\"\n{operation}",
            dates.0, dates.1
        );
        std::fs::write(dir.join("operation.toml"), text).unwrap();
        std::fs::create_dir(dir.join("returns")).unwrap();
        std::fs::write(
            dir.join("returns/c.toml"),
            format!("reporter = \"coordination\"\n[figures]\n{figures}"),
        )
        .unwrap();
        narrate_dir(dir)
    }

    fn loaded(operation: &str, figures: &str) -> (Operation, Totals) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let text = format!(
            "id = \"t\"\nname = \"T\"\nstart = 2024-06-04\nend = 2024-06-05\nmarking = \"PUBLIC\"\n{operation}"
        );
        std::fs::write(dir.join("operation.toml"), text).unwrap();
        std::fs::create_dir(dir.join("returns")).unwrap();
        std::fs::write(
            dir.join("returns/c.toml"),
            format!("reporter = \"coordination\"\n[figures]\n{figures}"),
        )
        .unwrap();
        let op = crate::load::load(dir).unwrap_or_else(|f| panic!("{:?}", f.errors));
        let totals = crate::aggregate::aggregate(&op).unwrap();
        (op, totals)
    }

    #[test]
    fn headline_tiles_and_reporter_charts_are_derived_or_chosen() {
        let figures = "arrests = 5\nofficers = 100\nentities_checked = 900\n";
        let keys = |op: &Operation, ids: Vec<crate::model::MetricId>| -> Vec<String> {
            ids.into_iter()
                .map(|id| op.catalogue.get(id).key.clone())
                .collect()
        };
        let (op, totals) = loaded("", figures);
        let headline =
            view::headline_metric(&op, &totals).map(|id| op.catalogue.get(id).key.clone());
        assert_eq!(headline.as_deref(), Some("officers"));
        assert_eq!(
            keys(&op, view::tile_metrics(&op, &totals)),
            ["officers", "entities_checked", "arrests"]
        );
        assert_eq!(
            keys(&op, view::reporter_chart_metrics(&op, &totals)),
            ["entities_checked", "arrests"]
        );

        let chosen = "[presentation]\nheadline = \"arrests\"\ntiles = [\"arrests\", \"weapons\", \"officers\"]\n";
        let (op, totals) = loaded(chosen, figures);
        let headline =
            view::headline_metric(&op, &totals).map(|id| op.catalogue.get(id).key.clone());
        assert_eq!(headline.as_deref(), Some("arrests"));
        // A chosen tile without a figure is left out.
        assert_eq!(
            keys(&op, view::tile_metrics(&op, &totals)),
            ["arrests", "officers"]
        );
        assert_eq!(
            keys(&op, view::reporter_chart_metrics(&op, &totals)),
            ["arrests", "entities_checked"]
        );
    }

    fn narrate_dir(dir: &Path) -> Texts {
        let op = crate::load::load(dir).unwrap_or_else(|f| panic!("{:?}", f.errors));
        let totals = crate::aggregate::aggregate(&op).unwrap();
        let findings = crate::check::check(&op, &totals);
        narrate(&op, &totals, &findings).unwrap()
    }

    const ONE_METRIC: &str = "catalogue = \"none\"\n[[metrics]]\nkey = \"cigarettes\"\nlabel = \"Cigarettes seized\"\nphrase = \"cigarettes seized\"\nnoun = [\"cigarette\", \"cigarettes\"]\n";

    fn all_text(texts: &Texts) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            texts.headline, texts.lead, texts.summary, texts.press_release
        )
    }

    /// What no document may say, whatever the operation.
    fn assert_clean(text: &str) {
        for bad in [
            "0 countries",
            " 1 days",
            "1 countries",
            " ,",
            ",.",
            "..",
            "(X)",
            "  ",
        ] {
            assert!(!text.contains(bad), "{bad:?} in:\n{text}");
        }
    }

    #[test]
    fn one_day_with_no_known_countries_says_nothing_about_countries() {
        let texts = narrated(
            ("2024-06-04", "2024-06-04"),
            ONE_METRIC,
            "cigarettes = 5000\n",
        );
        assert_eq!(
            texts.headline,
            "5\u{a0}000 cigarettes seized in a one-day action"
        );
        assert_eq!(
            texts.lead,
            "On 4 June 2024, law enforcement authorities took part in Operation Test, a one-day action."
        );
        let text = all_text(&texts);
        assert!(!text.contains("countr"), "{text}");
        assert!(!text.contains("week"), "{text}");
        assert!(!text.contains("Operation Test (Operation Test)"), "{text}");
        // No "## Participants" over nothing.
        assert!(!text.contains("Participants"), "{text}");
        assert_clean(&text);
    }

    #[test]
    fn one_of_a_counted_thing_is_singular() {
        let texts = narrated(("2024-06-04", "2024-06-04"), ONE_METRIC, "cigarettes = 1\n");
        assert!(
            texts.headline.starts_with("1 cigarette seized in"),
            "{}",
            texts.headline
        );
    }

    #[test]
    fn a_five_day_operation_is_a_week_of_action() {
        let texts = narrated(
            ("2019-04-08", "2019-04-12"),
            ONE_METRIC,
            "cigarettes = 20\n",
        );
        assert_eq!(
            texts.headline,
            "20 cigarettes seized in week of coordinated actions"
        );
        assert_eq!(
            texts.lead,
            "Between 8 and 12 April 2019, law enforcement authorities took part in Operation Test, a week of coordinated actions."
        );
    }

    #[test]
    fn longer_operations_say_how_long() {
        for (dates, headline, lead) in [
            (
                ("2020-11-02", "2020-11-13"),
                "in 12 days of coordinated actions",
                "Between 2 and 13 November 2020, law enforcement authorities took part in Operation Test, 12 days of coordinated actions.",
            ),
            (
                ("2024-03-04", "2024-03-24"),
                "in three weeks of coordinated actions",
                "Between 4 and 24 March 2024, law enforcement authorities took part in Operation Test, three weeks of coordinated actions.",
            ),
            (
                ("2022-06-28", "2022-11-23"),
                "over five months of coordinated actions",
                "Between 28 June and 23 November 2022, law enforcement authorities took part in Operation Test, five months of coordinated actions.",
            ),
            (
                ("2024-01-01", "2024-12-31"),
                "over a year of coordinated actions",
                "Between 1 January and 31 December 2024, law enforcement authorities took part in Operation Test, a year of coordinated actions.",
            ),
        ] {
            let texts = narrated(dates, ONE_METRIC, "cigarettes = 20\n");
            assert_eq!(texts.headline, format!("20 cigarettes seized {headline}"));
            assert_eq!(texts.lead, lead);
            assert!(!all_text(&texts).contains("in week"));
            assert_clean(&all_text(&texts));
        }
    }

    #[test]
    fn a_claimed_count_alone_is_stated_as_claimed() {
        let texts = narrated(
            ("2024-06-04", "2024-06-05"),
            &format!("countries = 16\n{ONE_METRIC}"),
            "cigarettes = 20\n",
        );
        assert!(
            texts.lead.starts_with(
                "Between 4 and 5 June 2024, law enforcement authorities from 16 countries took part"
            ),
            "{}",
            texts.lead
        );
        let small = narrated(
            ("2024-06-04", "2024-06-05"),
            &format!("countries = 3\n{ONE_METRIC}"),
            "cigarettes = 20\n",
        );
        assert!(
            small.lead.contains("from three countries took part"),
            "{}",
            small.lead
        );
    }

    #[test]
    fn listed_groups_are_worded_per_group() {
        let groups = "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Austria\", \"Spain\"]\n\
                      [[groups]]\nlabel = \"Non-EU countries\"\nkind = \"non-eu-countries\"\nmembers = [\"Serbia\"]\n";
        let texts = narrated(
            ("2024-06-04", "2024-06-05"),
            &format!("{ONE_METRIC}{groups}"),
            "cigarettes = 20\n",
        );
        assert!(
            texts.lead.starts_with(
                "Between 4 and 5 June 2024, law enforcement authorities from two EU Member States and Serbia took part"
            ),
            "{}",
            texts.lead
        );
        assert!(texts.press_release.contains("Non-EU countries: Serbia."));
        // One listed country reads by its name.
        let one = "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Spain\"]\n";
        let texts = narrated(
            ("2024-06-04", "2024-06-05"),
            &format!("{ONE_METRIC}{one}"),
            "cigarettes = 20\n",
        );
        assert!(
            texts
                .lead
                .contains("law enforcement authorities from Spain took part"),
            "{}",
            texts.lead
        );
    }

    #[test]
    fn a_partial_breakdown_is_including_not_a_gap() {
        let catalogue = "catalogue = \"none\"\n[[metrics]]\nkey = \"arrests\"\nlabel = \"Arrests\"\nphrase = \"arrests\"\nbreakdown = \"partial\"\n\
                         parts = [{ key = \"drugs\", label = \"Drug trafficking\", phrase = \"for drug trafficking\" }]\n";
        let texts = narrated(
            ("2024-06-04", "2024-06-05"),
            catalogue,
            "[figures.arrests]\ntotal = 2000\ndrugs = 700\n",
        );
        let text = format!("{}\n{:?}", all_text(&texts), texts.captions);
        assert!(
            text.contains("2\u{a0}000 arrests, including 700 for drug trafficking"),
            "{text}"
        );
        assert!(!text.contains("not attributed"), "{text}");
        assert!(!text.contains("1\u{a0}300"), "{text}");
    }

    #[test]
    fn an_exhaustive_shortfall_is_worded_with_the_catalogue_remainder() {
        let catalogue = "catalogue = \"none\"\n[[metrics]]\nkey = \"seized\"\nlabel = \"Firearms\"\nphrase = \"firearms\"\nremainder = \"of unreported type\"\n\
                         parts = [{ key = \"pistols\", label = \"Pistols\", phrase = \"pistols\" }]\n";
        let texts = narrated(
            ("2024-06-04", "2024-06-05"),
            catalogue,
            "[figures.seized]\ntotal = 10\npistols = 9\n",
        );
        assert!(
            texts
                .press_release
                .contains("10 firearms (9 pistols, 1 of unreported type)"),
            "{}",
            texts.press_release
        );
        assert!(
            texts
                .summary
                .contains("Of the 10 firearms, 1 is of unreported type."),
            "{}",
            texts.summary
        );
    }
}
