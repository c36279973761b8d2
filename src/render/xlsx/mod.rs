//! Workbooks: the master workbook and one partner pack per recipient, as
//! bytes, plus the pack's file name and the typed error.
//!
//! Sheets, in order (a sheet with nothing in scope is left out):
//!
//! - **Summary** — every reported metric in tree order; sums of parts as
//!   `=SUM(..)` formulas with cached results; in the master, the sum of
//!   returns and the consolidated figure as `SUMIFS` over the Returns
//!   table; a bar chart per breakdown; the revision (and what it
//!   supersedes) in the title block.
//! - **Changes** — from the second revision on: figures that changed since
//!   the previous revision and why, findings that appeared or were resolved.
//! - **Returns** — one table row per return, one column per metric (split
//!   over numbered sheets past a sheet's rows), with file and line.
//! - **By reporter** — reporters × top-level metrics (participant returns only).
//! - **Checks** — the findings, tinted by severity.
//! - **Corrections** — every correction, applied or stale, with file and line.
//! - **Participants** — groups, footnotes, activities.
//! - **Sources** — input files and their SHA-256.
//!
//! A partner pack is the same workbook seen through a `Scope`: the
//! operation totals, the partner's own returns and the findings about it;
//! another reporter's figures only if the release policy shares them.
//!
//! Numbers are numeric cells; text from the input is always written as a
//! string (never a formula); the document date comes from the context, so
//! the same inputs give the same bytes.

mod changes;
mod checks;
mod corrections;
mod participants;
mod reporters;
mod returns;
mod scope;
mod sources;
mod style;
mod summary;

use crate::model::{Operation, ParticipantId};
use crate::render::Context;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use scope::Scope;
use std::fmt;
use style::{Page, Styles};

/// Why a workbook could not be written.
#[derive(Debug)]
pub enum XlsxError {
    /// rust_xlsxwriter refused a value (a string over 32 767 characters, a
    /// date outside 1900–9999, …) or failed to build the file.
    Writer(rust_xlsxwriter::XlsxError),
    /// The marking must be printed on every page, but with the page number it
    /// does not fit Excel's 255-character header/footer.
    MarkingTooLong { length: usize, limit: usize },
    /// The id does not name a participant of this operation.
    UnknownPartner(ParticipantId),
    /// The release policy gives this participant no pack.
    NotARecipient(String),
}

impl fmt::Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Returns sheets are streamed through a temporary file.
            XlsxError::Writer(rust_xlsxwriter::XlsxError::TempFileError(dir, reason)) => write!(
                f,
                "cannot create a temporary file in {}: {reason}; set TMPDIR to a writable folder",
                dir.display()
            ),
            XlsxError::Writer(e) => write!(f, "cannot write the workbook: {e}"),
            XlsxError::MarkingTooLong { length, limit } => write!(
                f,
                "the marking is {length} characters long; with the page number it must fit Excel's page header (at most {limit})"
            ),
            XlsxError::UnknownPartner(id) => write!(f, "participant #{} does not exist", id.0),
            XlsxError::NotARecipient(name) => {
                write!(f, "the release policy gives {name} no partner pack")
            }
        }
    }
}

impl std::error::Error for XlsxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XlsxError::Writer(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> XlsxError {
        XlsxError::Writer(e)
    }
}

/// The master workbook (`workbook.xlsx`): everything, for analysts.
pub fn master(ctx: &Context) -> Result<Vec<u8>, XlsxError> {
    build(ctx, &Scope::master(ctx.op))
}

/// The pack for one recipient (`partners/<name>.xlsx`). Refuses a
/// participant the release policy gives no pack.
pub fn partner(ctx: &Context, partner: ParticipantId) -> Result<Vec<u8>, XlsxError> {
    let op = ctx.op;
    if partner.0 >= op.participants.len() {
        return Err(XlsxError::UnknownPartner(partner));
    }
    if !op.pack_recipients().contains(&partner) {
        return Err(XlsxError::NotARecipient(
            op.participant(partner).name.clone(),
        ));
    }
    build(ctx, &Scope::pack(op, partner))
}

fn build(ctx: &Context, scope: &Scope) -> Result<Vec<u8>, XlsxError> {
    build_with(ctx, scope, returns::MAX_ROWS)
}

/// `build` with the Returns table split every `rows_per_sheet` returns
/// (a sheet's worth, except in tests of the split).
fn build_with(ctx: &Context, scope: &Scope, rows_per_sheet: usize) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let page = Page::new(&ctx.op.marking, &ctx.op.short_name)?;
    let mut workbook = Workbook::new();
    // Deflate was half the time of a large workbook; level 4 (of 9; default
    // 6) took 45 % off for 6 % more bytes on a 5 000-return master. A pack
    // is a few small parts, where building each part's Huffman codes is
    // most of the cost; level 1's fixed codes take a fifth off the packs'
    // time for 5–15 KB more per pack (21 → 26 KB for the sample).
    workbook.set_zip_compression_level(if scope.partner().is_some() { 1 } else { 4 });
    workbook.set_properties(&properties(ctx, scope)?);
    let layout = returns::Layout::with_rows(ctx, scope, rows_per_sheet);
    summary::write(&mut workbook, ctx, scope, &layout, &styles, &page)?;
    // Right after the Summary: a reader of the last revision looks here first.
    changes::write(&mut workbook, ctx, scope, &styles, &page)?;
    returns::write(&mut workbook, ctx, &layout, &styles, &page)?;
    reporters::write(&mut workbook, ctx, scope, &styles, &page)?;
    checks::write(&mut workbook, ctx, scope, &styles, &page)?;
    corrections::write(&mut workbook, ctx, scope, &styles, &page)?;
    participants::write(&mut workbook, ctx, scope, &styles, &page)?;
    sources::write(&mut workbook, ctx, scope, &styles, &page)?;
    Ok(workbook.save_to_buffer()?)
}

/// Title, subject, author, company, keywords, the fixed creation date and
/// the revision marks: custom properties "Revision" (a number) and, from the
/// second revision on, "Supersedes" ("revision 1 of 24 November 2023"), and
/// both in the comments for readers that show no custom properties.
/// The author is "opbrief" in every workbook; the company is the
/// coordination centre, left out of a pack when it names a reporter whose
/// figures the pack must not show.
fn properties(ctx: &Context, scope: &Scope) -> Result<DocProperties, XlsxError> {
    let op = ctx.op;
    let (title, subject) = match scope.partner() {
        Some(p) => (
            format!(
                "{} — partner pack for {}",
                op.short_name,
                op.participant(p).name
            ),
            "Operation totals, the partner's own returns and the checks that concern them",
        ),
        None => (
            format!("{} — workbook", op.short_name),
            "Reported results, returns, checks and sources",
        ),
    };
    let created = ExcelDateTime::from_timestamp(ctx.timestamp)?;
    let edition = ctx.edition;
    let revision = revision_line(ctx);
    let mut properties = DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_keywords(format!("{}, {}, {}", op.id, op.short_name, op.marking))
        .set_category(op.marking.clone())
        .set_comment(format!(
            "Generated by opbrief. {revision}. Marking: {}",
            op.marking
        ))
        .set_creation_datetime(&created);
    // Excel's custom numbers are i32; a revision beyond that is text.
    properties = match i32::try_from(edition.revision) {
        Ok(number) => properties.set_custom_property("Revision", number),
        Err(_) => properties.set_custom_property("Revision", edition.revision.to_string()),
    };
    if let Some(changes) = &edition.changes {
        properties = properties.set_custom_property(
            "Supersedes",
            format!(
                "revision {} of {}",
                changes.since_revision, changes.since_date
            ),
        );
    }
    // The same in every workbook of an operation: the tool wrote it (the
    // coordinator, a reporter, would be hidden in some packs and not
    // others), the coordination centre published it.
    properties = properties.set_author("opbrief");
    if let Some(company) = op
        .coordination_centre
        .as_deref()
        .filter(|c| !scope.mentions_hidden(c))
    {
        properties = properties.set_company(company);
    }
    Ok(properties)
}

/// "Revision 2 (supersedes revision 1 of 24 November 2023)", "Revision 1".
fn revision_line(ctx: &Context) -> String {
    match ctx.edition.supersedes() {
        Some(supersedes) => format!("Revision {} ({supersedes})", ctx.edition.revision),
        None => format!("Revision {}", ctx.edition.revision),
    }
}

/// A safe file name for each participant's pack, by participant id: the
/// name transliterated to ASCII and in lower case, letters and digits kept, everything
/// else one `-`; never empty, never a path, never hidden, never a Windows
/// device name, a stem of at most 60 characters, and distinct from every other
/// participant's pack name. All at once: each name depends on the ones
/// before it, and an operation can have thousands of participants.
pub fn pack_file_names(op: &Operation) -> Vec<String> {
    let stems: Vec<Option<String>> = op.participants.iter().map(|p| slug(&p.name)).collect();
    // Each stem's first holder gets it plain; every other participant gets
    // a numbered name that no one holds: "A", "A!", "A 2" get `a`, `a-2-2`
    // and `a-2` ("A!" would be `a-2`, but that is "A 2"'s own).
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut plain = vec![false; stems.len()];
    for (index, stem) in stems.iter().enumerate() {
        if let Some(stem) = stem {
            plain[index] = taken.insert(stem.clone());
        }
    }
    stems
        .into_iter()
        .enumerate()
        .map(|(index, stem)| {
            let stem = match stem {
                Some(stem) if plain[index] => return format!("{stem}.xlsx"),
                Some(stem) => stem,
                None => "participant".to_string(),
            };
            let numbered = format!("{stem}-{}", index + 1);
            let mut name = numbered.clone();
            let mut extra = 1;
            while !taken.insert(name.clone()) {
                extra += 1;
                name = format!("{numbered}-{extra}");
            }
            format!("{name}.xlsx")
        })
        .collect()
}

fn slug(name: &str) -> Option<String> {
    const MAX_CHARS: usize = 60;
    let mut out = String::new();
    // Transliterated to ASCII ("Türkiye" → "turkiye"): some mail gateways
    // and zip tools mangle other letters in file names.
    let ascii = deunicode::deunicode(name);
    for c in ascii.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(MAX_CHARS).collect();
    while out.ends_with('-') {
        out.pop();
    }
    const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];
    let device = DEVICES.contains(&out.as_str())
        || ((out.starts_with("com") || out.starts_with("lpt"))
            && out.len() == 4
            && out.as_bytes()[3].is_ascii_digit());
    match (out.is_empty(), device) {
        (true, _) => None,
        (false, true) => Some(format!("{out}-pack")),
        (false, false) => Some(out),
    }
}

#[cfg(test)]
mod tests {
    use super::slug;
    use crate::render::{Context, Edition};
    use calamine::{Data, DataType, Reader, Xlsx};

    /// An operation with more returns than a sheet holds, made small: the
    /// multi-return fixture's 10 returns, 4 to a sheet.
    #[test]
    fn returns_past_a_sheet_continue_on_numbered_sheets_and_the_totals_span_them() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-return");
        let checked = crate::pipeline::check(&dir).unwrap();
        let edition = Edition::default();
        let ctx = Context {
            op: &checked.op,
            totals: &checked.totals,
            findings: &checked.findings,
            timestamp: 1_700_784_000,
            edition: &edition,
        };
        let bytes = super::build_with(&ctx, &super::Scope::master(ctx.op), 4).unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        let parts: Vec<&String> = names.iter().filter(|n| n.starts_with("Returns")).collect();
        assert_eq!(parts, ["Returns", "Returns 2", "Returns 3"]);
        // Every return once, in file order, across the three sheets.
        let mut rows = Vec::new();
        for name in &parts {
            let range = book.worksheet_range(name).unwrap();
            let sheet: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
            assert_eq!(
                sheet[0][0],
                Data::String("Reporter".into()),
                "{name}: header"
            );
            rows.extend(sheet.into_iter().skip(1));
        }
        assert_eq!(rows.len(), ctx.op.returns.len());
        let header: Vec<Data> = book
            .worksheet_range("Returns")
            .unwrap()
            .rows()
            .next()
            .unwrap()
            .to_vec();
        let arrests = header
            .iter()
            .position(|h| h == &Data::String("arrests".into()))
            .unwrap();
        let by_hand: f64 = rows
            .iter()
            .filter(|r| r[1] == Data::String("participant".into()))
            .filter_map(|r| r[arrests].as_f64())
            .sum();
        // The Summary's sum of returns adds one SUMIFS per sheet.
        let formulas = book.worksheet_formula("Summary").unwrap();
        let values = book.worksheet_range("Summary").unwrap();
        let row = (0..values.height() as u32)
            .find(|&r| values.get_value((r, 13)) == Some(&Data::String("arrests".into())))
            .unwrap();
        let formula = formulas.get_value((row, 8)).cloned().unwrap_or_default();
        assert_eq!(formula.matches("SUMIFS(").count(), 3, "{formula}");
        assert!(formula.contains("'Returns 3'!"), "{formula}");
        assert_eq!(
            values.get_value((row, 8)).and_then(Data::as_f64),
            Some(by_hand)
        );
    }

    #[test]
    fn slugs_are_safe_file_stems() {
        assert_eq!(slug("Austria").as_deref(), Some("austria"));
        assert_eq!(
            slug("Bosnia and Herzegovina").as_deref(),
            Some("bosnia-and-herzegovina")
        );
        assert_eq!(slug("Türkiye").as_deref(), Some("turkiye"));
        assert_eq!(slug("Česko").as_deref(), Some("cesko"));
        assert_eq!(slug("Ελλάδα").as_deref(), Some("ellada"));
        assert_eq!(slug("日本").as_deref(), Some("ri-ben"));
        assert_eq!(slug("Kosovo*").as_deref(), Some("kosovo"));
        assert_eq!(slug("../etc/passwd").as_deref(), Some("etc-passwd"));
        assert_eq!(slug(".hidden").as_deref(), Some("hidden"));
        assert_eq!(
            slug("=HYPERLINK(\"http://x\",\"y\")").as_deref(),
            Some("hyperlink-http-x-y")
        );
        assert_eq!(slug("CON").as_deref(), Some("con-pack"));
        assert_eq!(slug("com1").as_deref(), Some("com1-pack"));
        assert_eq!(slug("a\u{0}b\nc").as_deref(), Some("a-b-c"));
        assert_eq!(slug("***"), None);
        assert!(slug(&"x".repeat(200)).is_some_and(|s| s.chars().count() == 60));
    }
}
