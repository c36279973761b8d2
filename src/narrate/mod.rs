//! Narrate: Totals + templates → every sentence opbrief writes.
//!
//! Templates live in templates/text/ and may be overridden per operation by
//! a file of the same name in `<operation>/templates/text/`. Only these known
//! names are loaded, so a template can include nothing else.

pub mod view;

use crate::aggregate::Totals;
use crate::check::Findings;
use crate::load;
use crate::model::Operation;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::fmt;
use view::View;

/// The shipped templates: (name, text).
const DEFAULTS: [(&str, &str); 7] = [
    ("macros.j2", include_str!("../../templates/text/macros.j2")),
    (
        "headline.j2",
        include_str!("../../templates/text/headline.j2"),
    ),
    ("lead.j2", include_str!("../../templates/text/lead.j2")),
    (
        "summary.j2",
        include_str!("../../templates/text/summary.j2"),
    ),
    (
        "caption.j2",
        include_str!("../../templates/text/caption.j2"),
    ),
    (
        "data-quality.j2",
        include_str!("../../templates/text/data-quality.j2"),
    ),
    (
        "press-release.md.j2",
        include_str!("../../templates/text/press-release.md.j2"),
    ),
];

/// Every text block, rendered once, for the renderers to place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts {
    pub headline: String,
    pub lead: String,
    pub summary: String,
    /// Chart caption per metric key.
    pub captions: BTreeMap<String, String>,
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
/// code spans and the escape itself. CommonMark renders `\<` as `<`, so the
/// text reads the same. Emphasis characters (`*`, `_`) are left alone: at
/// worst they change the look, and the releases write "Kosovo*" with its
/// footnote "*This designation …" just so.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '[' | ']' | '<' | '>' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "A, B and C".
fn join_and(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// An operation's override of template `name`: `None` when there is none
/// (the shipped default applies), an error when one is there but may not be
/// read. Only the fixed names in [`DEFAULTS`] are ever looked up, and only
/// through [`load::files::read_contained`]: an override must be a regular
/// file inside the operation folder (a symbolic link to /etc/passwd, or a
/// FIFO that would block the build, is refused). A template cannot reach
/// other files either: the environment has no loader, so `{% include %}` or
/// `{% import %}` of any name but these fails as "template not found".
fn override_text(op: &Operation, name: &str) -> Result<Option<String>, TemplateError> {
    let path = op.dir.join("templates").join("text").join(name);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    load::files::read_contained(&op.dir, &path)
        .map(Some)
        .map_err(|refusal| {
            let (what, help) = refusal.describe();
            TemplateError {
                template: path.display().to_string(),
                line: None,
                message: match help {
                    "" => what,
                    help => format!("{what}; {help}"),
                },
            }
        })
}

/// The text of every template this operation uses: its own override where
/// present, else the shipped default. An override that may not be read
/// counts as absent here; [`narrate`] refuses it before this is used.
pub fn template_sources(op: &Operation) -> Vec<(String, String)> {
    DEFAULTS
        .iter()
        .map(|(name, default)| {
            let text = override_text(op, name)
                .ok()
                .flatten()
                .unwrap_or_else(|| default.to_string());
            (name.to_string(), text)
        })
        .collect()
}

fn environment(op: &Operation) -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("join_and", join_and);
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
    for (name, default) in DEFAULTS {
        let source = override_text(op, name)?.unwrap_or_else(|| default.to_string());
        env.add_template_owned(name.to_string(), source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn render(env: &Environment, name: &str, context: &Value) -> Result<String, TemplateError> {
    let template = env
        .get_template(name)
        .map_err(|e| template_error(name, &e))?;
    template
        .render(context)
        .map_err(|e| template_error(name, &e))
}

/// A one-line block: the template's text with its whitespace collapsed.
fn render_line(env: &Environment, name: &str, context: &Value) -> Result<String, TemplateError> {
    // ASCII only: the no-break spaces inside numbers must stay.
    let text = render(env, name, context)?;
    Ok(text
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" "))
}

pub fn narrate(
    op: &Operation,
    totals: &Totals,
    findings: &Findings,
) -> Result<Texts, TemplateError> {
    let env = environment(op)?;
    let view: View = view::view(op, totals, findings);
    let context = Value::from_serialize(&view);
    let mut captions = BTreeMap::new();
    for metric in op.catalogue.breakdowns() {
        let metric_view = view::metric(op, totals, metric.id);
        if !metric_view.has_value && metric_view.parts.is_empty() {
            continue;
        }
        let context = minijinja::context! { metric => metric_view, ..context.clone() };
        captions.insert(
            metric.key.clone(),
            render_line(&env, "caption.j2", &context)?,
        );
    }
    let headline = render_line(&env, "headline.j2", &context)?;
    let lead = render_line(&env, "lead.j2", &context)?;
    let summary = render_line(&env, "summary.j2", &context)?;
    let data_quality = render_line(&env, "data-quality.j2", &context)?;
    // The release places the blocks above, so it says the same words.
    let release_context = minijinja::context! {
        headline => &headline, lead => &lead, summary => &summary, ..context.clone()
    };
    let press_release = render(&env, "press-release.md.j2", &release_context)?;
    Ok(Texts {
        headline,
        lead,
        summary,
        captions,
        data_quality,
        press_release,
    })
}
