//! `[figures]` tables → typed figures in their metric's unit.

use super::Loader;
use super::error::{InputError, did_you_mean};
use super::raw::RawValue;
use crate::model::quantity::ConversionError;
use crate::model::{
    Amount, Catalogue, Currency, Figure, Metric, MetricId, Qualifier, Quantity, Unit,
};
use toml::Spanned;

/// Reads a return's `[figures]` table against the catalogue.
pub fn read_figures(
    loader: &mut Loader,
    source: usize,
    catalogue: &Catalogue,
    figures: &Spanned<RawValue>,
) -> Vec<Figure> {
    let mut out = Vec::new();
    match figures.get_ref() {
        RawValue::Table(entries) => {
            FigureReader {
                loader,
                source,
                catalogue,
                out: &mut out,
            }
            .entries(entries.iter(), None);
        }
        other => loader.error(
            source,
            figures.span(),
            InputError::new(format!("`figures` must be a table, found {}", other.kind()))
                .key("figures"),
        ),
    }
    out
}

struct FigureReader<'a> {
    loader: &'a mut Loader,
    source: usize,
    catalogue: &'a Catalogue,
    out: &'a mut Vec<Figure>,
}

impl FigureReader<'_> {
    fn entries<'v>(
        &mut self,
        entries: impl IntoIterator<Item = &'v (Spanned<String>, Spanned<RawValue>)>,
        parent: Option<MetricId>,
    ) {
        for (key, value) in entries {
            let full_key = match parent {
                Some(p) => format!("{}.{}", self.catalogue.get(p).key, key.get_ref()),
                None => key.get_ref().clone(),
            };
            let Some(id) = self.catalogue.find(&full_key) else {
                self.unknown_metric(key, &full_key, parent);
                continue;
            };
            let metric = self.catalogue.get(id);
            match (metric.parts.is_empty(), value.get_ref()) {
                (false, RawValue::Table(inner)) => {
                    let (totals, parts): (Vec<_>, Vec<_>) =
                        inner.iter().partition(|(k, _)| k.get_ref() == "total");
                    for (_, total) in totals {
                        self.figure(metric, &full_key, ".total", total);
                    }
                    self.entries(parts, Some(id));
                }
                _ => self.figure(metric, &full_key, "", value),
            }
        }
    }

    fn unknown_metric(&mut self, key: &Spanned<String>, full_key: &str, parent: Option<MetricId>) {
        let siblings: Vec<&str> = match parent {
            Some(p) => self
                .catalogue
                .get(p)
                .parts
                .iter()
                .map(|&c| self.catalogue.get(c).name())
                .collect(),
            None => self.catalogue.roots().map(|m| m.key.as_str()).collect(),
        };
        let help = did_you_mean(key.get_ref(), siblings.iter().copied()).or_else(|| {
            (!siblings.is_empty()).then(|| format!("known keys here: {}", siblings.join(", ")))
        });
        let message = match parent {
            Some(p) => format!(
                "unknown part `{}` of metric `{}`",
                key.get_ref(),
                self.catalogue.get(p).key
            ),
            None => format!("unknown metric `{}`", key.get_ref()),
        };
        self.loader.error(
            self.source,
            key.span(),
            InputError::new(message)
                .key(format!("figures.{full_key}"))
                .help_opt(help),
        );
    }

    /// The figure at `figures.<full_key><suffix>` (the key path is only
    /// spelled out for an error).
    fn figure(&mut self, metric: &Metric, full_key: &str, suffix: &str, value: &Spanned<RawValue>) {
        // `"arrests.other" = 3` beside `[figures.arrests] other = 5`: one
        // figure, two statements, and no way to tell which is meant.
        if let Some(first) = self.out.iter().find(|f| f.metric == metric.id) {
            let first = self.loader.sources.at(first.place);
            self.loader.error(
                self.source,
                value.span(),
                InputError::new(format!(
                    "`{}` is stated twice in this return; the first is at {first}",
                    metric.key
                ))
                .key(format!("figures.{full_key}{suffix}"))
                .help("state each figure once"),
            );
            return;
        }
        match parse_figure(value, metric, self.loader.text(self.source)) {
            Ok((quantity, stated_unit)) => self.out.push(Figure {
                metric: metric.id,
                quantity,
                stated_unit,
                place: self.loader.sources.place(self.source, value.span()),
                corrected_by: None,
            }),
            Err(error) => self.loader.error(
                self.source,
                value.span(),
                error.key(format!("figures.{full_key}{suffix}")),
            ),
        }
    }
}

/// A figure as written, before conversion into its metric's unit.
struct Written {
    amount: Amount,
    qualifier: Qualifier,
    unit: Option<Unit>,
}

/// `file` is the text of the value's file, when known: a decimal is read
/// from its digits as written, never through a float that may have rounded
/// it.
pub(super) fn parse_figure(
    value: &Spanned<RawValue>,
    metric: &Metric,
    file: Option<&str>,
) -> Result<(Quantity, Unit), InputError> {
    let written = match value.get_ref() {
        RawValue::Table(entries) => parse_figure_table(entries, metric, file)?,
        RawValue::String(text) => parse_figure_text(text, &metric.noun_forms())?,
        _ => Written {
            amount: parse_number(value, file)?,
            qualifier: Qualifier::Exact,
            unit: None,
        },
    };
    let stated_unit = written.unit.unwrap_or(metric.written_unit);
    let amount = stated_unit
        .convert(written.amount, metric.unit)
        .map_err(|e| match e {
            ConversionError::Incompatible => InputError::new(format!(
                "unit `{stated_unit}` cannot express `{}`, which is measured in {}",
                metric.key, metric.unit
            ))
            .help(format!("write the figure in {}", metric.unit)),
            ConversionError::OutOfRange => InputError::new(format!(
                "{} {stated_unit} cannot be expressed exactly in {}",
                written.amount, metric.unit
            )),
        })?;
    if metric.unit.is_countable() && !amount.is_whole() {
        return Err(InputError::new(format!(
            "`{}` is counted in whole numbers, found {amount}",
            metric.key
        )));
    }
    Ok((
        Quantity {
            amount,
            qualifier: written.qualifier,
        },
        stated_unit,
    ))
}

/// Reads figure text such as "almost 300 kg" into its quantity and the unit
/// it names, if any: the parser a return's string figures go through, open
/// to the `numbers` fuzz target and to property tests.
pub fn read_figure_text(text: &str) -> Result<(Quantity, Option<Unit>), InputError> {
    parse_figure_text(text, &[]).map(|w| {
        (
            Quantity {
                amount: w.amount,
                qualifier: w.qualifier,
            },
            w.unit,
        )
    })
}

/// `{ value = 300, unit = "kg", qualifier = "almost" }`.
fn parse_figure_table(
    entries: &[(Spanned<String>, Spanned<RawValue>)],
    metric: &Metric,
    file: Option<&str>,
) -> Result<Written, InputError> {
    // What `value` says and what the `unit` and `qualifier` keys say: both
    // may be given, but they must agree.
    let mut value_written: Option<Written> = None;
    let (mut unit, mut qualifier) = (None, None);
    for (key, value) in entries {
        match (key.get_ref().as_str(), value.get_ref()) {
            ("value", RawValue::String(text)) => {
                value_written = Some(parse_figure_text(text, &metric.noun_forms())?);
            }
            ("value", _) => {
                value_written = Some(Written {
                    amount: parse_number(value, file)?,
                    qualifier: Qualifier::Exact,
                    unit: None,
                });
            }
            ("unit", RawValue::String(text)) => unit = Some(parse_unit(text)?),
            ("qualifier", RawValue::String(text)) => {
                qualifier = Some(Qualifier::parse(text).ok_or_else(|| {
                    InputError::new(format!("unknown qualifier `{text}`")).help_opt(did_you_mean(
                        text,
                        Qualifier::WORDED.iter().map(|q| q.word()),
                    ))
                })?)
            }
            ("note", RawValue::String(_)) => {}
            (name @ ("unit" | "qualifier" | "note"), other) => {
                return Err(InputError::new(format!(
                    "`{name}` must be a string, found {}",
                    other.kind()
                )));
            }
            (name, _) => {
                let hint = if metric.parts.is_empty() {
                    did_you_mean(name, ["value", "unit", "qualifier", "note"])
                } else {
                    Some("a metric with parts takes `total` and its part keys".to_string())
                };
                return Err(
                    InputError::new(format!("unknown key `{name}` in a figure")).help_opt(hint)
                );
            }
        }
    }
    let Some(mut written) = value_written else {
        return Err(InputError::new("a figure table needs a `value`")
            .help("write e.g. { value = 300, unit = \"kg\", qualifier = \"almost\" }"));
    };
    match (written.unit, unit) {
        (Some(inner), Some(outer)) if inner != outer => {
            return Err(
                InputError::new(format!("the value says {inner} but `unit` says {outer}"))
                    .help("give the unit once, in the value or in `unit`"),
            );
        }
        (None, outer) => written.unit = outer,
        _ => {}
    }
    match (written.qualifier, qualifier) {
        (Qualifier::Exact, Some(outer)) => written.qualifier = outer,
        (inner, Some(outer)) if inner != outer => {
            return Err(InputError::new(format!(
                "the value says “{}” but `qualifier` says “{}”",
                inner.word(),
                outer.word()
            ))
            .help("give the qualifier once, in the value or in `qualifier`"));
        }
        _ => {}
    }
    Ok(written)
}

/// A bare number, read from its digits as written when the file is known.
/// TOML reads `12345678901234567.5` as the nearest double; the digits are
/// what the reporter meant, so they are read instead.
fn parse_number(value: &Spanned<RawValue>, file: Option<&str>) -> Result<Amount, InputError> {
    if let RawValue::Float(x) = value.get_ref()
        && x.is_finite()
        && *x > 0.0
        && let Some(digits) = file.and_then(|text| text.get(value.span()))
    {
        let digits = digits.trim().trim_start_matches('+').replace('_', "");
        if let Some(amount) = Amount::parse_decimal(&digits) {
            return Ok(amount);
        }
        let amount = parse_amount(value.get_ref())?;
        // More decimals than a figure keeps, which the double dropped
        // ("1.0000000000000001" became 1): refuse rather than round.
        let plain = !digits.contains(['e', 'E']);
        let trimmed = digits.trim_end_matches('0').trim_end_matches('.');
        if plain && trimmed != amount.to_string() {
            return Err(InputError::new(format!(
                "`{}` cannot be read exactly: it has more than six decimals",
                super::files::shown(&digits, 40)
            ))
            .help("round it to six decimals, or write it as a string"));
        }
        return Ok(amount);
    }
    parse_amount(value.get_ref())
}

/// A bare number: a non-negative integer or a finite, non-negative float.
fn parse_amount(value: &RawValue) -> Result<Amount, InputError> {
    match value {
        RawValue::Integer(n) if *n < 0 => Err(InputError::new(format!(
            "figures cannot be negative, found {n}"
        ))),
        RawValue::Integer(n) => Ok(Amount::from_units(n.unsigned_abs())),
        RawValue::Float(x) if !x.is_finite() => Err(InputError::new(format!(
            "a figure must be a finite number, found {x}"
        ))),
        // -0.0 is zero written with a sign, not a negative figure.
        RawValue::Float(x) if *x == 0.0 => Ok(Amount::ZERO),
        RawValue::Float(x) if *x < 0.0 => Err(InputError::new(format!(
            "figures cannot be negative, found {x}"
        ))),
        // Display would print all 301 digits of 1e300.
        RawValue::Float(x) if *x >= u64::MAX as f64 => Err(InputError::new(format!(
            "{x:e} is too large for a figure (at most {})",
            u64::MAX
        ))),
        // Display prints the shortest decimal that round-trips: 0.3, not 0.299…
        RawValue::Float(x) => Amount::parse_decimal(&format!("{x}")).ok_or_else(|| {
            InputError::new(format!("{x} has more than six decimals or is too large"))
        }),
        other => Err(InputError::new(format!(
            "expected a number or a figure like \"almost 300 kg\", found {}",
            other.kind()
        ))),
    }
}

fn parse_unit(text: &str) -> Result<Unit, InputError> {
    Unit::parse(text).ok_or_else(|| {
        InputError::new(format!("unknown unit `{}`", super::files::shown(text, 40)))
            .help_opt(did_you_mean(text, Unit::NAMED.iter().map(|u| u.key())))
    })
}

/// Parses "almost 300 kg", "more than 22 000", "1.2 t", "626", "67 million",
/// "USD 130 million", "€35.82 million", "500 rounds" (when `nouns`, the
/// metric's own words for what it counts, include "rounds").
fn parse_figure_text(text: &str, nouns: &[&str]) -> Result<Written, InputError> {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    let mut qualifier = Qualifier::Exact;
    let mut rest = trimmed;
    // Longest words first so "more than" is not read as "more".
    let mut words = Qualifier::WORDED;
    words.sort_by_key(|q| std::cmp::Reverse(q.word().len()));
    for q in words {
        if let Some(after) = lower.strip_prefix(q.word())
            && after.starts_with(' ')
        {
            qualifier = q;
            rest = trimmed[q.word().len()..].trim_start();
            break;
        }
    }
    let (prefix_unit, rest) = currency_prefix(rest);
    if rest.starts_with(['-', '\u{2212}']) {
        return Err(InputError::new(format!(
            "figures cannot be negative, found `{}`",
            super::files::shown(text, 80)
        )));
    }
    let number_end = number_prefix_len(rest);
    let (number, unit_text) = rest.split_at(number_end);
    let digits: String = number.chars().filter(|c| !is_group_space(*c)).collect();
    if digits.contains(',') {
        return Err(InputError::new(format!("cannot read `{}` as a figure", super::files::shown(text, 80)))
            .help("use a point for decimals and spaces (or nothing) between thousands, e.g. \"22 488\" or \"1.5 t\""));
    }
    if number.is_empty()
        && let Some(word) = rest
            .split_whitespace()
            .next()
            .filter(|w| w.chars().all(char::is_alphabetic))
    {
        let words: Vec<&str> = Qualifier::WORDED.iter().map(|q| q.word()).collect();
        return Err(InputError::new(format!(
            "unknown qualifier `{}` in `{}`",
            super::files::shown(word, 40),
            super::files::shown(text, 80)
        ))
        .help(
            did_you_mean(word, words.iter().copied())
                .unwrap_or_else(|| format!("known qualifiers: {}", words.join(", "))),
        ));
    }
    let amount = Amount::parse_decimal(&digits).ok_or_else(|| {
        let plain_number = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|&b| b == b'.').count() <= 1
            && digits.split('.').nth(1).is_none_or(|frac| frac.len() <= 6);
        if plain_number && !digits.starts_with('.') && !digits.ends_with('.') {
            return InputError::new(format!(
                "`{}` is too large for a figure (at most {})",
                super::files::shown(text, 80),
                u64::MAX
            ));
        }
        InputError::new(format!(
            "cannot read `{}` as a figure",
            super::files::shown(text, 80)
        ))
        .help(
            "write a number with an optional qualifier and unit, e.g. \"almost 300 kg\" or \"more than 22 000\"",
        )
    })?;
    let (amount, unit_text) = scaled(amount, unit_text.trim(), text)?;
    let unit = if unit_text.is_empty() {
        None
    } else if nouns
        .iter()
        .any(|noun| noun.eq_ignore_ascii_case(unit_text))
    {
        // "500 rounds" for a metric that counts rounds: its own unit.
        None
    } else {
        Some(parse_unit(unit_text)?)
    };
    let unit = match (prefix_unit, unit) {
        (Some(before), Some(after)) if before != after => {
            return Err(InputError::new(format!(
                "`{}` names two units, {before} and {after}",
                super::files::shown(text, 80)
            )));
        }
        (before, after) => before.or(after),
    };
    Ok(Written {
        amount,
        qualifier,
        unit,
    })
}

/// A currency written before the number: "EUR 1.5 million", "USD130",
/// "€35.82 million", "$5 000".
fn currency_prefix(text: &str) -> (Option<Unit>, &str) {
    if let Some(sign) = text.chars().next()
        && let Some(currency) = Currency::from_sign(sign)
    {
        return (
            Some(Unit::Money(currency)),
            text[sign.len_utf8()..].trim_start(),
        );
    }
    let code_len = text.bytes().take_while(u8::is_ascii_uppercase).count();
    if code_len == 3
        && let Some(currency) = Currency::from_code(&text[..3])
    {
        return (Some(Unit::Money(currency)), text[3..].trim_start());
    }
    (None, text)
}

/// Applies "thousand", "million" or "billion" after the number; returns
/// the amount and what follows the scale word.
fn scaled<'t>(
    amount: Amount,
    unit_text: &'t str,
    text: &str,
) -> Result<(Amount, &'t str), InputError> {
    const SCALES: [(&str, u128); 3] = [
        ("thousand", 1_000),
        ("million", 1_000_000),
        ("billion", 1_000_000_000),
    ];
    let (word, after) = unit_text
        .split_once(char::is_whitespace)
        .unwrap_or((unit_text, ""));
    let Some(&(_, factor)) = SCALES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
    else {
        return Ok((amount, unit_text));
    };
    let amount = amount.checked_mul_ratio(factor, 1).ok_or_else(|| {
        InputError::new(format!(
            "`{}` is too large for a figure (at most {})",
            super::files::shown(text, 80),
            u64::MAX
        ))
    })?;
    Ok((amount, after.trim_start()))
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// Length in bytes of the leading number: digits, '.', ',' and single
/// grouping spaces that are followed by a digit.
fn number_prefix_len(text: &str) -> usize {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut end = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let grouping =
            is_group_space(c) && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_digit() || c == '.' || c == ',' || grouping {
            end = at + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(Qualifier, String, Option<Unit>), String> {
        parse_figure_text(text, &["rounds", "round"])
            .map(|w| (w.qualifier, w.amount.to_string(), w.unit))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn figure_text_reads_qualifier_number_and_unit() {
        assert_eq!(
            read("626 kg"),
            Ok((Qualifier::Exact, "626".into(), Some(Unit::Kilogram)))
        );
        assert_eq!(
            read("almost 300 kg"),
            Ok((Qualifier::Almost, "300".into(), Some(Unit::Kilogram)))
        );
        assert_eq!(
            read("More than 22 000"),
            Ok((Qualifier::MoreThan, "22000".into(), None))
        );
        assert_eq!(
            read("1.2 t"),
            Ok((Qualifier::Exact, "1.2".into(), Some(Unit::Tonne)))
        );
        assert_eq!(
            read("22\u{202f}488"),
            Ok((Qualifier::Exact, "22488".into(), None))
        );
        assert!(read("1,5 kg").unwrap_err().contains("point for decimals"));
        assert!(read("626 kgs").unwrap_err().contains("did you mean `kg`"));
        assert!(read("lots").is_err());
        let usd = Some(Unit::Money(Currency::USD));
        assert_eq!(
            read("67 million"),
            Ok((Qualifier::Exact, "67000000".into(), None))
        );
        assert_eq!(
            read("USD 130 million"),
            Ok((Qualifier::Exact, "130000000".into(), usd))
        );
        assert_eq!(
            read("more than USD 1.5 billion"),
            Ok((Qualifier::MoreThan, "1500000000".into(), usd))
        );
        assert_eq!(
            read("€35.82 million"),
            Ok((Qualifier::Exact, "35820000".into(), Some(Unit::EURO)))
        );
        assert_eq!(read("$5 000"), Ok((Qualifier::Exact, "5000".into(), usd)));
        assert_eq!(
            read("1 500 EUR"),
            Ok((Qualifier::Exact, "1500".into(), Some(Unit::EURO)))
        );
        assert_eq!(read("some 500"), Ok((Qualifier::Some, "500".into(), None)));
        assert_eq!(
            read("up to 40 kg"),
            Ok((Qualifier::UpTo, "40".into(), Some(Unit::Kilogram)))
        );
        assert_eq!(
            read("500 Rounds"),
            Ok((Qualifier::Exact, "500".into(), None))
        );
        assert_eq!(
            read("2.5 m3"),
            Ok((Qualifier::Exact, "2.5".into(), Some(Unit::CubicMetre)))
        );
        assert!(read("USD 5 EUR").unwrap_err().contains("two units"));
        assert!(read("30 billion billion").is_err());
        assert!(
            read("99999999999 billion")
                .unwrap_err()
                .contains("too large")
        );
        assert!(read("-5").is_err());
    }
}
