//! Catalogue files → the metric tree and the declared rules.

use super::Loader;
use super::error::{InputError, did_you_mean};
use super::raw::{RawMetric, RawRule, RawValue};
use crate::diagnostic::Severity;
use crate::model::{
    Amount, Breakdown, Catalogue, Metric, MetricId, Noun, Plausibility, Relation, Rule, Tolerance,
    Unit,
};
use toml::Spanned;

/// Metrics and rules from one file, remembered with the file they came from.
pub struct CatalogueLayer<'a> {
    pub source: usize,
    pub metrics: &'a [RawMetric],
    pub rules: &'a [RawRule],
}

/// Stacks catalogue layers: a later layer's top-level metric or rule with the
/// same key (or id) replaces the earlier one in place; new ones are appended.
/// The same key twice in one layer is an error: which one was meant?
pub fn build(loader: &mut Loader, layers: &[CatalogueLayer]) -> (Catalogue, Vec<Rule>) {
    let mut roots: Vec<(usize, &RawMetric)> = Vec::new();
    let mut rules: Vec<(usize, &RawRule)> = Vec::new();
    for layer in layers {
        for metric in layer.metrics {
            let key = &metric.key;
            match roots
                .iter_mut()
                .find(|(_, m)| m.key.get_ref() == key.get_ref())
            {
                Some((source, first)) if *source == layer.source => {
                    let first = loader.locate(*source, first.key.span());
                    twice(loader, layer.source, key, "metrics.key", "metric", first);
                }
                Some(slot) => *slot = (layer.source, metric),
                None => roots.push((layer.source, metric)),
            }
        }
        for rule in layer.rules {
            let id = &rule.id;
            match rules
                .iter_mut()
                .find(|(_, r)| r.id.get_ref() == id.get_ref())
            {
                Some((source, first)) if *source == layer.source => {
                    let first = loader.locate(*source, first.id.span());
                    twice(loader, layer.source, id, "rules.id", "rule", first);
                }
                Some(slot) => *slot = (layer.source, rule),
                None => rules.push((layer.source, rule)),
            }
        }
    }
    let mut catalogue = Catalogue::default();
    for (source, metric) in roots {
        add_metric(loader, &mut catalogue, source, metric, None);
    }
    let rules = rules
        .into_iter()
        .filter_map(|(source, rule)| read_rule(loader, &catalogue, source, rule))
        .collect();
    (catalogue, rules)
}

/// A key declared twice in one file.
fn twice(
    loader: &mut Loader,
    source: usize,
    key: &Spanned<String>,
    at: &str,
    what: &str,
    first: crate::source::Location,
) {
    loader.error(
        source,
        key.span(),
        InputError::new(format!(
            "{what} `{}` is declared twice in this file; the first is at {first}",
            key.get_ref()
        ))
        .key(at)
        .help(format!(
            "declare each {what} once (to replace a default, declare it once here)"
        )),
    );
}

fn add_metric(
    loader: &mut Loader,
    catalogue: &mut Catalogue,
    source: usize,
    raw: &RawMetric,
    parent: Option<MetricId>,
) {
    let name = raw.key.get_ref();
    let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name || name == "total" {
        let message = if name == "total" {
            "`total` is reserved for a metric's own figure".to_string()
        } else {
            format!(
                "metric key `{name}` must be lower-case letters, digits and _, starting with a letter"
            )
        };
        loader.error(source, raw.key.span(), InputError::new(message).key("key"));
        return;
    }
    let (full_key, parent_unit, depth) = match parent {
        Some(p) => {
            let parent = catalogue.get(p);
            (
                format!("{}.{name}", parent.key),
                Some(parent.unit),
                parent.depth + 1,
            )
        }
        None => (name.clone(), None, 0),
    };
    if catalogue.find(&full_key).is_some() {
        loader.error(
            source,
            raw.key.span(),
            InputError::new(format!("metric `{full_key}` is declared twice")).key("key"),
        );
        return;
    }
    let unit = match (&raw.unit, parent_unit) {
        (Some(text), _) => match unit_of(loader, source, text) {
            Some(unit) => unit,
            None => return,
        },
        (None, Some(unit)) => unit,
        (None, None) => Unit::Count,
    };
    if let (Some(text), Some(parent_unit)) = (&raw.unit, parent_unit)
        && unit.dimension() != parent_unit.dimension()
    {
        loader.error(
            source,
            text.span(),
            InputError::new(format!(
                "part `{full_key}` is in {unit} but its total is in {parent_unit}"
            ))
            .key("unit")
            .help("a part must be measured like its total; declare it as a separate metric"),
        );
        return;
    }
    // A part is summed into its total, so it is measured in the total's
    // unit: one declared in another unit of the same dimension (t under a
    // kg total) keeps that unit for display only. A part shows large
    // amounts like its total ("over 40 t" of a kg metric shown in t),
    // unless it says otherwise.
    let written_unit = unit;
    let (unit, declared) = match parent_unit {
        Some(parent_unit) => (parent_unit, (unit != parent_unit).then_some(unit)),
        None => (unit, None),
    };
    let display_unit = match &raw.display_unit {
        Some(text) => unit_of(loader, source, text).filter(|display| {
            let same = display.dimension() == unit.dimension();
            if !same {
                loader.error(
                    source,
                    text.span(),
                    InputError::new(format!(
                        "`{full_key}` is measured in {unit}, which cannot be shown in {display}"
                    ))
                    .key("display_unit")
                    .help("a display unit measures what the metric measures (t for kg)"),
                );
            }
            same
        }),
        None => declared.or_else(|| parent.and_then(|p| catalogue.get(p).display_unit)),
    };
    let breakdown = match (&raw.breakdown, raw.parts.is_empty()) {
        (None, true) => None,
        (None, false) => Some(Breakdown::Exhaustive),
        (Some(text), _) => match text.get_ref().as_str() {
            "exhaustive" => Some(Breakdown::Exhaustive),
            "partial" => Some(Breakdown::Partial),
            other => {
                loader.error(
                    source,
                    text.span(),
                    InputError::new(format!("unknown breakdown `{other}`"))
                        .key("breakdown")
                        .help("use \"exhaustive\" (parts add up to the total) or \"partial\" (parts are included in it)"),
                );
                None
            }
        },
    };
    let label = raw.label.get_ref().clone();
    let noun = raw.noun.as_ref().and_then(|n| noun_of(loader, source, n));
    let mut text = |field: &str, value: &Option<Spanned<String>>| {
        let value = value.as_ref()?;
        if value.get_ref().trim().is_empty() {
            loader.error(
                source,
                value.span(),
                InputError::new(format!("`{field}` cannot be empty")).key(field),
            );
            return None;
        }
        Some(value.get_ref().clone())
    };
    let phrase = text("phrase", &raw.phrase).unwrap_or_else(|| match &noun {
        Some(noun) => noun.plural.clone(),
        None => label.to_lowercase(),
    });
    let phrase_one = text("phrase_one", &raw.phrase_one)
        .unwrap_or_else(|| singular_phrase(&phrase, noun.as_ref()));
    let chart_title = text("chart_title", &raw.chart_title).unwrap_or_else(|| label.clone());
    let remainder = text("remainder", &raw.remainder);
    let aliases = raw
        .aliases
        .iter()
        .filter_map(|alias| text("aliases", &Some(alias.clone())))
        .collect();
    let plausibility = raw
        .plausibility
        .as_ref()
        .and_then(|value| plausibility_of(loader, source, value, "plausibility"));
    let id = catalogue.push(Metric {
        id: MetricId(0),
        key: full_key,
        label,
        phrase,
        phrase_one,
        chart_title,
        noun,
        remainder,
        aliases,
        unit,
        written_unit,
        display_unit,
        breakdown,
        plausibility,
        parent,
        parts: Vec::new(),
        depth,
        location: loader.locate(source, raw.key.span()),
    });
    for part in &raw.parts {
        add_metric(loader, catalogue, source, part, Some(id));
    }
}

/// `noun = ["cigarette", "cigarettes"]`: singular and plural, or one word
/// for both ("ammunition").
fn noun_of(
    loader: &mut Loader,
    source: usize,
    raw: &Spanned<Vec<Spanned<String>>>,
) -> Option<Noun> {
    let forms = raw.get_ref();
    if forms.is_empty() || forms.len() > 2 {
        loader.error(
            source,
            raw.span(),
            InputError::new(format!("`noun` has {} words", forms.len()))
                .key("noun")
                .help("write the singular and the plural, e.g. noun = [\"cigarette\", \"cigarettes\"]"),
        );
        return None;
    }
    if let Some(empty) = forms.iter().find(|f| f.get_ref().trim().is_empty()) {
        loader.error(
            source,
            empty.span(),
            InputError::new("a noun cannot be empty").key("noun"),
        );
        return None;
    }
    let singular = forms[0].get_ref().clone();
    let plural = forms
        .get(1)
        .map_or_else(|| singular.clone(), |p| p.get_ref().clone());
    Some(Noun { singular, plural })
}

/// The phrase after the number 1 when none is declared: the plural noun it
/// starts with made singular ("cigarettes seized" → "cigarette seized"),
/// else the phrase itself.
fn singular_phrase(phrase: &str, noun: Option<&Noun>) -> String {
    let Some(noun) = noun else {
        return phrase.to_string();
    };
    match phrase.strip_prefix(noun.plural.as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
            format!("{}{rest}", noun.singular)
        }
        _ => phrase.to_string(),
    }
}

fn unit_of(loader: &mut Loader, source: usize, text: &Spanned<String>) -> Option<Unit> {
    let unit = Unit::parse(text.get_ref());
    if unit.is_none() {
        loader.error(
            source,
            text.span(),
            InputError::new(format!("unknown unit `{}`", text.get_ref()))
                .key("unit")
                .help_opt(did_you_mean(
                    text.get_ref(),
                    Unit::NAMED.iter().map(|u| u.key()),
                )),
        );
    }
    unit
}

fn read_rule(
    loader: &mut Loader,
    catalogue: &Catalogue,
    source: usize,
    raw: &RawRule,
) -> Option<Rule> {
    let severity = match raw.severity.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some("info") => Severity::Info,
        // A layer may switch off a rule it inherits.
        Some("off") => return None,
        Some(other) => {
            let span = raw.severity.as_ref().map_or(0..0, |s| s.span());
            loader.error(
                source,
                span,
                InputError::new(format!("unknown severity `{other}`"))
                    .key("severity")
                    .help("use \"error\", \"warning\", \"info\" or \"off\""),
            );
            return None;
        }
    };
    let mut metric = |field: &str, key: &Spanned<String>| {
        let found = catalogue.find(key.get_ref());
        if found.is_none() {
            loader.error(
                source,
                key.span(),
                InputError::new(format!(
                    "rule `{}` names unknown metric `{}`",
                    raw.id.get_ref(),
                    key.get_ref()
                ))
                .key(field)
                .help_opt(did_you_mean(
                    key.get_ref(),
                    catalogue.iter().map(|m| m.key.as_str()),
                )),
            );
        }
        found
    };
    let left = metric("left", &raw.left);
    let right = metric("right", &raw.right);
    let relation = match raw.relation.get_ref().as_str() {
        "<=" => Relation::AtMost,
        ">=" => Relation::AtLeast,
        "==" | "=" => Relation::Equal,
        other => {
            loader.error(
                source,
                raw.relation.span(),
                InputError::new(format!("unknown relation `{other}`"))
                    .key("relation")
                    .help("use \"<=\", \">=\" or \"==\""),
            );
            return None;
        }
    };
    let tolerance = match &raw.tolerance {
        None => Tolerance::Absolute(Amount::ZERO),
        Some(value) => read_tolerance(value).or_else(|| {
            loader.error(
                source,
                value.span(),
                InputError::new("a tolerance is a non-negative number or a percentage like \"5%\"")
                    .key("tolerance"),
            );
            None
        })?,
    };
    let (left, right) = (left?, right?);
    if catalogue.get(left).unit.dimension() != catalogue.get(right).unit.dimension() {
        loader.error(
            source,
            raw.right.span(),
            InputError::new(format!(
                "rule `{}` compares {} with {}",
                raw.id.get_ref(),
                catalogue.get(left).unit,
                catalogue.get(right).unit
            ))
            .key("right"),
        );
        return None;
    }
    Some(Rule {
        id: raw.id.get_ref().clone(),
        left,
        relation,
        right,
        tolerance,
        severity,
        message: raw.message.as_ref().map(|m| m.get_ref().clone()),
        location: loader.locate(source, raw.id.span()),
    })
}

fn read_tolerance(value: &Spanned<RawValue>) -> Option<Tolerance> {
    match value.get_ref() {
        RawValue::Integer(n) if *n >= 0 => {
            Some(Tolerance::Absolute(Amount::from_units(n.unsigned_abs())))
        }
        RawValue::Float(x) if x.is_finite() && *x >= 0.0 => {
            Amount::parse_decimal(&format!("{x}")).map(Tolerance::Absolute)
        }
        RawValue::String(text) => {
            let number = text.trim().strip_suffix('%')?.trim();
            Amount::parse_decimal(number).map(Tolerance::Percent)
        }
        _ => None,
    }
}

/// `"off"`, or a factor above 1 (an integer or a decimal) for the
/// day-plausibility check.
pub(super) fn plausibility_of(
    loader: &mut Loader,
    source: usize,
    value: &Spanned<RawValue>,
    key: &str,
) -> Option<Plausibility> {
    let factor = match value.get_ref() {
        RawValue::String(text) if text.trim() == "off" => return Some(Plausibility::Off),
        RawValue::Integer(n) => u64::try_from(*n).ok().map(Amount::from_units),
        RawValue::Float(x) if x.is_finite() && *x > 0.0 => Amount::parse_decimal(&format!("{x}")),
        _ => None,
    };
    match factor {
        Some(factor) if factor > Amount::from_units(1) => Some(Plausibility::Factor(factor)),
        _ => {
            loader.error(
                source,
                value.span(),
                InputError::new("the plausibility check takes \"off\" or a factor above 1")
                    .key(key)
                    .help("e.g. `plausibility = 20` (a day 20 times above or below the median), or \"off\""),
            );
            None
        }
    }
}
