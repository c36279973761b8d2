//! Matching what a text states to the operation's figures, and judging it.
//!
//! A stated quantity is matched by the words around it: the words after
//! the number against every figure's names (a metric's label, phrase,
//! noun and catalogue `aliases`; a remainder's words; the participants'
//! noun and group labels), else the words before it ("weapons: 310",
//! "Lithuania (28.75 million)"). The most words matched wins; among
//! equals, the figure the number agrees with, then a part of the breakdown
//! being listed, then a name matched in full.
//! Dates and durations are judged in [`super::period`].

use super::period;
use super::reading::{self, Reading, Stated, TokenKind};
use super::{Code, Figure, Statement, Verdict};
use crate::aggregate::Totals;
use crate::model::{Amount, GroupKind, MetricId, Operation, Qualifier, Unit};
use crate::narrate::view;

/// Words that carry no meaning for matching ("of", "the", "related to").
const STOP_WORDS: [&str; 31] = [
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "to",
    "and",
    "or",
    "for",
    "by",
    "with",
    "from",
    "at",
    "as",
    "which",
    "were",
    "was",
    "is",
    "are",
    "been",
    "total",
    "including",
    "related",
    "all",
    "its",
    "their",
    "these",
    "those",
    "whom",
    // "218 of them related to migrant smuggling", like "of which".
    "them",
];

fn is_stop(stem: &str) -> bool {
    STOP_WORDS.contains(&stem)
}

/// A figure and one of the word sequences that name it, as stems.
#[derive(Clone, Debug)]
struct Name {
    figure: Figure,
    stems: Vec<String>,
}

fn stems(text: &str) -> Vec<String> {
    reading::read(text, &[])
        .tokens
        .into_iter()
        .filter_map(|t| match t.kind {
            TokenKind::Word { stem, .. } if !is_stop(&stem) => Some(stem),
            _ => None,
        })
        .collect()
}

/// A figure's value as proof compares it, in the figure's unit.
#[derive(Clone, Copy, Debug)]
struct Value {
    nominal: Qualified,
    /// What documents print (a computed qualified sum, rounded).
    shown: Qualified,
    low: f64,
    high: Option<f64>,
    unit: Unit,
}

#[derive(Clone, Copy, Debug)]
struct Qualified {
    amount: f64,
    qualifier: Qualifier,
}

/// Everything to match against, from the operation and its totals.
pub struct Figures<'a> {
    op: &'a Operation,
    totals: &'a Totals,
    names: Vec<Name>,
}

impl<'a> Figures<'a> {
    pub fn new(op: &'a Operation, totals: &'a Totals) -> Figures<'a> {
        let mut names = Vec::new();
        let mut add = |figure: Figure, text: &str| {
            let stems = stems(text);
            if !stems.is_empty() {
                names.push(Name { figure, stems });
            }
        };
        for metric in op.catalogue.iter() {
            if totals.metric(metric.id).value.is_none() {
                continue;
            }
            let figure = Figure::Metric(metric.id);
            add(figure, &metric.label);
            add(figure, &metric.phrase);
            add(figure, &metric.phrase_one);
            // "5 225 parcels" for "postal packages/parcels checked": the
            // key and the words after a slash name the figure too.
            add(figure, &metric.key.replace('_', " "));
            for text in [&metric.label, &metric.phrase] {
                if let Some((_, alternative)) = text.rsplit_once('/') {
                    add(figure, alternative);
                }
            }
            for form in metric.noun_forms() {
                add(figure, form);
            }
            for alias in &metric.aliases {
                add(figure, alias);
            }
            if view::unattributed(op, totals, metric.id).is_some() {
                let remainder = view::metric(op, totals, metric.id).remainder;
                add(Figure::Remainder(metric.id), &remainder);
            }
        }
        let participation = op.participation();
        if participation.countries.is_some() {
            for noun in [
                participation.noun.as_str(),
                "countries",
                "participating countries",
                "nations",
            ] {
                add(Figure::Countries, noun);
            }
        }
        for (index, group) in participation.groups.iter().enumerate() {
            add(Figure::CountryGroup(index), &group.label);
            let kind_words: &[&str] = match group.kind {
                GroupKind::EuMemberStates => &["EU Member States", "Member States", "EU countries"],
                GroupKind::NonEuCountries => &["non-EU countries", "third countries"],
                _ => &[],
            };
            for words in kind_words {
                add(Figure::CountryGroup(index), words);
            }
        }
        for (index, group) in op.groups.iter().enumerate() {
            if group.kind.is_countries() || group.members.is_empty() {
                continue;
            }
            add(Figure::Group(index), &group.label);
            if group.kind == GroupKind::EuAgencies {
                add(Figure::Group(index), "EU agencies");
            }
        }
        Figures { op, totals, names }
    }

    fn value(&self, figure: Figure) -> Option<Value> {
        let exact = |n: f64, unit| Value {
            nominal: Qualified {
                amount: n,
                qualifier: Qualifier::Exact,
            },
            shown: Qualified {
                amount: n,
                qualifier: Qualifier::Exact,
            },
            low: n,
            high: Some(n),
            unit,
        };
        match figure {
            Figure::Metric(id) => {
                let value = self.totals.metric(id).value.as_ref()?;
                Some(Value {
                    nominal: Qualified {
                        amount: value.nominal.amount.to_f64(),
                        qualifier: value.nominal.qualifier,
                    },
                    shown: Qualified {
                        amount: value.shown.amount.to_f64(),
                        qualifier: value.shown.qualifier,
                    },
                    low: value.interval.low.to_f64(),
                    high: value.interval.high.map(Amount::to_f64),
                    unit: self.op.catalogue.get(id).unit,
                })
            }
            Figure::Remainder(id) => {
                let amount = view::unattributed(self.op, self.totals, id)?;
                Some(exact(amount.to_f64(), self.op.catalogue.get(id).unit))
            }
            Figure::Countries => Some(exact(
                self.op.participation().countries? as f64,
                Unit::Count,
            )),
            Figure::CountryGroup(index) => Some(exact(
                self.op.participation().groups.get(index)?.count as f64,
                Unit::Count,
            )),
            Figure::Group(index) => Some(exact(
                self.op.groups.get(index)?.members.len() as f64,
                Unit::Count,
            )),
            Figure::Period => None,
            Figure::Reported(index, id) => {
                let estimate = self
                    .totals
                    .by_country
                    .get(index)?
                    .values
                    .get(id.0)
                    .copied()??;
                let shown = estimate.shown();
                Some(Value {
                    nominal: Qualified {
                        amount: estimate.nominal.amount.to_f64(),
                        qualifier: estimate.nominal.qualifier,
                    },
                    shown: Qualified {
                        amount: shown.amount.to_f64(),
                        qualifier: shown.qualifier,
                    },
                    low: estimate.interval.low.to_f64(),
                    high: estimate.interval.high.map(Amount::to_f64),
                    unit: self.op.catalogue.get(id).unit,
                })
            }
        }
    }

    /// The country whose own figure `stated` may be: the one its sentence
    /// names last before it ("Germany contributed 1 200 officers",
    /// "German investigators seized …"), or the only one it names. Not one
    /// of several named after it ("1 200 officers from Germany, France and
    /// Italy" may be their sum).
    fn named_reporter(&self, reading: &Reading, stated: &Stated) -> Option<usize> {
        let ends = |t: &reading::Token| {
            matches!(
                t.kind,
                TokenKind::Break | TokenKind::Punct('.' | '!' | '?' | ';')
            )
        };
        let start = (0..stated.first)
            .rev()
            .find(|&k| reading.tokens.get(k).is_some_and(ends))
            .map_or(0, |k| k + 1);
        // After the number, only its own clause: "24 arrests at Greek
        // borders", not "…, including 40 kg of cocaine in Germany".
        let end = (stated.next..reading.tokens.len())
            .find(|&k| {
                reading
                    .tokens
                    .get(k)
                    .is_some_and(|t| ends(t) || matches!(t.kind, TokenKind::Punct(',')))
            })
            .unwrap_or(reading.tokens.len());
        let words: Vec<(usize, &str, &str)> = (start..end)
            .filter_map(|k| reading.word(k).map(|(text, lower, _)| (k, text, lower)))
            .collect();
        let mut named: Vec<(usize, usize)> = Vec::new();
        for (index, row) in self.totals.by_country.iter().enumerate() {
            let name = super::print::reporter_name(self.op, row.who).to_lowercase();
            let name: Vec<&str> = name.split_whitespace().collect();
            if name.is_empty() {
                continue;
            }
            let found = words.windows(name.len()).rev().find_map(|window| {
                let whole = window.iter().zip(&name).all(|((_, _, w), n)| w == n);
                // "German", "Italian", "Austrian" for a one-word name.
                let adjective = name.len() == 1
                    && window[0].1.chars().next().is_some_and(char::is_uppercase)
                    && shares_stem(window[0].2, name[0]);
                (whole || adjective).then_some(window[0].0)
            });
            if let Some(at) = found {
                named.push((at, index));
            }
        }
        // The last named before the number; else the one country its
        // clause names after it.
        let before = named
            .iter()
            .filter(|(at, _)| *at < stated.first)
            .max()
            .copied();
        match (before, &named[..]) {
            (Some((_, index)), _) => Some(index),
            (None, [(_, index)]) => Some(*index),
            _ => None,
        }
    }

    fn parent(&self, figure: Figure) -> Option<MetricId> {
        match figure {
            Figure::Metric(id) => self.op.catalogue.get(id).parent,
            _ => None,
        }
    }
}

/// Whether `word` is a country's adjective by its first letters
/// ("german" for "germany", "belgian" for "belgium").
fn shares_stem(word: &str, country: &str) -> bool {
    let prefix = |s: &str| s.chars().take(4).collect::<String>();
    word != country
        && word.chars().count() >= 5
        && country.chars().count() >= 5
        && prefix(word) == prefix(country)
}

/// How well a name matched the words next to a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    words: usize,
    /// Every word of the name was found.
    full: bool,
}

/// A candidate figure for a stated quantity.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    figure: Figure,
    score: Score,
    /// The last token the name matched.
    last: usize,
}

/// The content words after token `from`, up to a boundary: (stem, token).
fn words_after(reading: &Reading, from: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    // "27.2 t — cocaine", "310: weapons": a dash or colon right after the
    // number introduces its words.
    let from = match reading.tokens.get(from).map(|t| &t.kind) {
        Some(TokenKind::Punct('—' | '–' | ':')) => from + 1,
        _ => from,
    };
    for (i, token) in reading.tokens.iter().enumerate().skip(from) {
        match &token.kind {
            TokenKind::Word { stem, .. } if !is_stop(stem) => out.push((stem.clone(), i)),
            kind if kind.is_boundary() => break,
            // ", and the estimated tax loss …", ", while …": a new clause,
            // whose words are another figure's.
            TokenKind::Punct(',')
                if matches!(
                    reading.word(i + 1).map(|(_, lower, _)| lower),
                    Some("and" | "but" | "while" | "whereas" | "whilst")
                ) =>
            {
                break;
            }
            _ => {}
        }
        if out.len() >= 14 {
            break;
        }
    }
    out
}

/// The content words before token `before`: after a colon, the label
/// before it ("weapons: 310"); else the words up to a boundary.
fn words_before(reading: &Reading, before: usize) -> Vec<(String, usize)> {
    // "weapons: 310", "**Arrests:** 2,000", "Lithuania (28.75 million)",
    // "| Arrests | 2 000 |".
    let mut end = unemphasised(reading, before);
    if end > 0
        && matches!(
            reading.tokens.get(end - 1).map(|t| &t.kind),
            Some(TokenKind::Punct(':' | '(' | '|'))
        )
    {
        end = unemphasised(reading, end - 1);
    }
    let mut out = Vec::new();
    for i in (0..end).rev() {
        match reading.tokens.get(i).map(|t| &t.kind) {
            Some(TokenKind::Word { stem, .. }) if !is_stop(stem) => out.push((stem.clone(), i)),
            Some(kind) if kind.is_boundary() => break,
            _ => {}
        }
        if out.len() >= 6 {
            break;
        }
    }
    out.reverse();
    out
}

/// Token `at`, or the first of the Markdown emphasis marks (`**`, `_`)
/// just before it.
fn unemphasised(reading: &Reading, mut at: usize) -> usize {
    while at > 0
        && matches!(
            reading.tokens.get(at - 1).map(|t| &t.kind),
            Some(TokenKind::Punct('*' | '_'))
        )
    {
        at -= 1;
    }
    at
}

/// Matches `name` at the start of `window`: its first word first (so that
/// "arrests of drug traffickers" names arrests, narrowed after), each next
/// one within two words of the last.
fn score_after(name: &[String], window: &[(String, usize)]) -> Option<(Score, usize)> {
    let first = name.first()?;
    let mut at = window.iter().take(1).position(|(w, _)| w == first)?;
    let mut last = window.get(at)?.1;
    let mut words = 1;
    for word in &name[1..] {
        let found = window
            .iter()
            .enumerate()
            .skip(at + 1)
            .take(2)
            .find(|(_, (w, _))| w == word);
        match found {
            Some((k, (_, token))) => {
                at = k;
                last = *token;
                words += 1;
            }
            None => break,
        }
    }
    Some((
        Score {
            words,
            full: words == name.len(),
        },
        last,
    ))
}

/// Matches `name` as the end of `window` (the words before a number), or
/// followed by a verb or two ("the tax loss prevented is put at").
fn score_before(name: &[String], window: &[(String, usize)], max_trailing: usize) -> Option<Score> {
    if name.is_empty() {
        return None;
    }
    (0..=max_trailing).find_map(|trailing| {
        let end = window.len().checked_sub(trailing)?;
        let tail = window.get(end.checked_sub(name.len())?..end)?;
        tail.iter()
            .zip(name)
            .all(|((w, _), n)| w == n)
            .then_some(Score {
                words: name.len(),
                full: true,
            })
    })
}

/// Whether a stated unit can be compared with a figure's.
fn compatible(stated: Option<Unit>, figure: Unit) -> bool {
    match stated {
        None => true,
        Some(unit) => unit.dimension() == figure.dimension(),
    }
}

/// How many of `to` one `from` is, if they measure the same thing.
fn ratio(from: Unit, to: Unit) -> Option<f64> {
    if from == to {
        return Some(1.0);
    }
    let big = Amount::from_units(1_000_000_000);
    if let Ok(converted) = from.convert(big, to) {
        return Some(converted.to_f64() / big.to_f64());
    }
    let back = to.convert(big, from).ok()?;
    Some(big.to_f64() / back.to_f64())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Judges a stated quantity (in its unit, or the figure's when it has none)
/// against a figure's value.
fn judge(stated: &Stated, amount: Amount, value: &Value) -> Code {
    let Some(factor) = ratio(stated.unit.unwrap_or(value.unit), value.unit) else {
        return Code::Mismatch;
    };
    let a = amount.to_f64() * factor;
    let step = stated.step.to_f64() * factor;
    let interval = stated.qualifier.interval(amount);
    let (low, high) = (
        interval.low.to_f64() * factor,
        interval.high.map(|h| h.to_f64() * factor),
    );
    // Small counts are exact in releases: "120 children" for 124 is wrong,
    // not rounded; larger figures and measured amounts may be rounded.
    let roundable = !(value.unit.is_countable() && value.nominal.amount < 1000.0);
    let rounds_to = |target: f64| roundable && (a - target).abs() <= step / 2.0 + 1e-9;
    let figure_exact = value.high.is_some_and(|h| close(h, value.low));
    if figure_exact {
        let v = value.low;
        if stated.qualifier == Qualifier::Exact {
            if close(a, v) {
                Code::Matches
            } else if rounds_to(v) {
                Code::RoundedWithoutQualifier
            } else {
                Code::Mismatch
            }
        } else if v >= low - 1e-9 && high.is_none_or(|h| v <= h + 1e-9) {
            // "more than 3 000" is not 3 000, nor "almost 566" 566.
            let on_strict_bound = match stated.qualifier {
                Qualifier::MoreThan | Qualifier::Over => close(v, low),
                Qualifier::Almost | Qualifier::Nearly => high.is_some_and(|h| close(v, h)),
                _ => false,
            };
            if on_strict_bound {
                Code::Mismatch
            } else {
                Code::Consistent
            }
        } else {
            Code::Mismatch
        }
    } else {
        let same_words = |q: Qualified| q.qualifier == stated.qualifier && close(q.amount, a);
        if same_words(value.shown) || same_words(value.nominal) {
            Code::Matches
        } else if stated.qualifier == Qualifier::Exact {
            let inside = a >= value.low - 1e-9 && value.high.is_none_or(|h| a <= h + 1e-9);
            if inside || close(a, value.nominal.amount) || rounds_to(value.nominal.amount) {
                Code::QualifierDropped
            } else {
                Code::Mismatch
            }
        } else if supported(stated.qualifier.bound(), (low, high), value) {
            Code::Consistent
        } else {
            Code::Mismatch
        }
    }
}

/// Whether a qualified statement (its interval, in the figure's unit)
/// holds for a qualified figure on the side the statement's qualifier
/// speaks for: "more than 30 million" is not supported by "over 3
/// million", nor "almost 300" by "more than 300". The two must overlap
/// ("nearly 149 623" is not "nearly 50 068"); "about" asks no more, nor
/// does any statement of a figure that is "about".
fn supported(bound: crate::model::Bound, (low, high): (f64, Option<f64>), value: &Value) -> bool {
    use crate::model::Bound;
    let overlaps =
        value.high.is_none_or(|h| h >= low - 1e-9) && high.is_none_or(|h| h >= value.low - 1e-9);
    if !overlaps || value.nominal.qualifier.bound() == Bound::Both {
        return overlaps;
    }
    match bound {
        Bound::Lower => value.low >= low - 1e-9,
        Bound::Upper => match (value.high, high) {
            (Some(figure), Some(stated)) => figure <= stated + 1e-9,
            (None, _) => false,
            (Some(_), None) => true,
        },
        Bound::Both | Bound::Exact => true,
    }
}

/// How good a verdict is, for choosing between readings and candidates.
fn rank(code: Code) -> u8 {
    match code {
        Code::Matches => 0,
        Code::Consistent => 1,
        Code::QualifierDropped => 2,
        Code::RoundedWithoutQualifier => 3,
        _ => 4,
    }
}

/// Judges both readings of an ambiguous number; the better one counts.
fn judge_readings(stated: &Stated, value: &Value) -> (Code, Amount) {
    let mut best = (judge(stated, stated.amount, value), stated.amount);
    if let Some(other) = stated.alternative {
        let code = judge(stated, other, value);
        if rank(code) < rank(best.0) {
            best = (code, other);
        }
    }
    best
}

/// Every verdict on the statements of `reading`.
pub fn verdicts(figures: &Figures, reading: &Reading) -> Vec<Verdict> {
    let mut out = Vec::new();
    let mut consumed_until = 0;
    let mut context: Option<MetricId> = None;
    for stated in &reading.quantities {
        if stated.first < consumed_until {
            continue;
        }
        let Some((verdict, last)) = quantity(figures, reading, stated, context) else {
            continue;
        };
        consumed_until = consumed_until.max(last + 1);
        if let Some(Figure::Metric(id)) = verdict.figure {
            let metric = figures.op.catalogue.get(id);
            if !metric.parts.is_empty() {
                context = Some(id);
            } else if metric.parent.is_some() {
                context = metric.parent;
            }
        }
        out.push(verdict);
    }
    for index in 0..reading.dates.len() {
        out.extend(period::date(figures.op, &reading.dates, index));
    }
    for lasting in &reading.durations {
        out.push(period::duration(figures.op, lasting));
    }
    out
}

/// The verdict on one stated quantity and the last token it took, or
/// `None` for what is not a figure after all (a year, "one of").
fn quantity(
    figures: &Figures,
    reading: &Reading,
    stated: &Stated,
    context: Option<MetricId>,
) -> Option<(Verdict, usize)> {
    // "12 of the 27 EU Member States", "(700 of 2 000)": a share of what
    // follows, which states a count of that group's members at most.
    if let Some(whole) = share_of(reading, stated) {
        return share(figures, reading, stated, whole);
    }
    let after = words_after(reading, stated.next);
    let mut candidates = named_by(figures, &after);
    // The words before name the number only when nothing after it does:
    // "weapons: 310", "Lithuania (28.75 million)", "arrests totalled 566."
    // A number followed by words of its own counts those ("26 countries
    // and one shared goal", "the country's two coasts", "a 9 mm pistol").
    let opening = unemphasised(reading, stated.first);
    let introduced = opening > 0
        && matches!(
            reading.tokens.get(opening - 1).map(|t| &t.kind),
            Some(TokenKind::Punct(':' | '(' | '|'))
        );
    let named_before = |max_trailing: usize| -> Vec<Candidate> {
        let before = words_before(reading, stated.first);
        figures
            .names
            .iter()
            .filter_map(|name| {
                let score = score_before(&name.stems, &before, max_trailing)?;
                Some(Candidate {
                    figure: name.figure,
                    score,
                    last: stated.next.saturating_sub(1),
                })
            })
            .collect()
    };
    // Named only by the words before it, "one" ("one of the 10
    // priorities") and a year ("countries in 2008") state no figure.
    if candidates.is_empty()
        && (introduced || after.is_empty())
        && !stated.weak
        && !stated.maybe_year
    {
        // With words of its own after it, only a label right before the
        // colon names it ("Weapons seized: 310 pieces"), not a sentence
        // ("arrested in the Netherlands: two men aged 34 and 61").
        candidates = named_before(if after.is_empty() { 2 } else { 0 });
    } else if introduced
        && !candidates
            .iter()
            .any(|c| c.score.full && figures.parent(c.figure).is_some())
    {
        // "in Lithuania (28.75 million cigarettes)": the part named right
        // before the bracket, of the total named inside it (unless a part
        // is named in full inside: "(50 000 individuals checked").
        let named_after: Vec<Figure> = candidates.iter().map(|c| c.figure).collect();
        let parts: Vec<Candidate> = named_before(0)
            .into_iter()
            .filter(|c| {
                figures
                    .parent(c.figure)
                    .is_some_and(|p| named_after.contains(&Figure::Metric(p)))
            })
            .collect();
        if !parts.is_empty() {
            let last = candidates.iter().map(|c| c.last).max();
            candidates = parts
                .into_iter()
                .map(|c| Candidate {
                    last: last.unwrap_or(c.last),
                    ..c
                })
                .collect();
        }
    }
    let verdict = |code, amount, figure, narrowed, last| {
        quantity_verdict(reading, stated, (code, amount), figure, narrowed, last)
    };
    let judge_all = |candidates: &[Candidate]| -> Vec<(Candidate, Code, Amount)> {
        candidates
            .iter()
            .filter_map(|c| {
                let value = figures.value(c.figure)?;
                if !compatible(stated.unit, value.unit) {
                    return None;
                }
                let (code, amount) = judge_readings(stated, &value);
                Some((*c, code, amount))
            })
            .collect()
    };
    // Candidates whose unit can hold the statement, with their verdicts.
    let mut judged = judge_all(&candidates);
    // A word or two between the number and its noun ("six European
    // countries", "some 100 new investigations"): the name after them, if
    // the number agrees with it ("195 member countries" is not about the
    // operation's countries).
    if candidates.is_empty() {
        for skip in 1..=2 {
            let Some(window) = after.get(skip..) else {
                break;
            };
            judged = judge_all(&named_by(figures, window));
            judged.retain(|(_, code, _)| agrees(*code));
            if !judged.is_empty() {
                break;
            }
        }
    }
    let best = judged.iter().max_by(|(a, code_a, _), (b, code_b, _)| {
        let in_context = |c: &Candidate| {
            context.is_some_and(|p| {
                figures.parent(c.figure) == Some(p) || c.figure == Figure::Remainder(p)
            })
        };
        // Most words first; among equals, a name matched in full ("218
        // arrests" names Arrests, not "arrests for migrant smuggling"),
        // then the figure the number agrees with, the breakdown being
        // listed.
        a.score
            .words
            .cmp(&b.score.words)
            .then(a.score.full.cmp(&b.score.full))
            .then(rank(*code_b).cmp(&rank(*code_a)))
            .then(in_context(a).cmp(&in_context(b)))
    });
    // An amount of money no words name, in the currency of one figure
    // only: that figure ("USD 130 million" in a headline), if it agrees.
    let by_currency = match stated.unit {
        Some(unit @ Unit::Money(_)) if best.is_none() => {
            let mut in_currency = figures
                .names
                .iter()
                .map(|n| n.figure)
                .filter(|&f| figures.value(f).is_some_and(|v| v.unit == unit));
            let first = in_currency.next();
            match (first, in_currency.all(|f| Some(f) == first)) {
                (Some(figure), true) => figures.value(figure).and_then(|value| {
                    let (code, amount) = judge_readings(stated, &value);
                    agrees(code).then_some((
                        Candidate {
                            figure,
                            score: Score {
                                words: 0,
                                full: false,
                            },
                            last: stated.next.saturating_sub(1),
                        },
                        code,
                        amount,
                    ))
                }),
                _ => None,
            }
        }
        _ => None,
    };
    // "the 27 EU Member States" is the Union, not those taking part (28
    // until 2020).
    let union = matches!(stated.amount.whole_units(), 27 | 28)
        && stated.qualifier == Qualifier::Exact
        && ["EU", "Member States"].iter().any(|words| {
            let name = stems(words);
            after.len() >= name.len() && after.iter().zip(&name).all(|((w, _), n)| w == n)
        });
    if union {
        return None;
    }
    // "in six countries: the Netherlands, Belgium, …": a count of the
    // countries it then lists, some of those taking part.
    if let Some((candidate, code, _)) = best
        && matches!(
            candidate.figure,
            Figure::Countries | Figure::CountryGroup(_)
        )
        && !agrees(*code)
        && lists_participants(figures.op, reading, candidate.last + 1)
            == stated.amount.whole_units()
    {
        return None;
    }
    // "one" states a figure of one, or nothing: "from one country to the
    // next" says nothing of how many countries took part.
    if stated.weak && best.is_none_or(|(_, code, _)| !agrees(*code)) {
        return None;
    }
    let Some(&(candidate, code, amount)) = best.or(by_currency.as_ref()) else {
        if stated.maybe_year || stated.weak {
            return None;
        }
        // Named, but in another currency or mass unit than the figure's;
        // an amount of money named after a count ("medicines worth USD 81
        // million seized") is about something else.
        let same_kind = |c: &&Candidate| {
            figures.value(c.figure).is_some_and(|v| {
                stated
                    .unit
                    .is_none_or(|u| std::mem::discriminant(&u) == std::mem::discriminant(&v.unit))
            })
        };
        if let Some(c) = candidates.iter().filter(same_kind).max_by_key(|c| c.score) {
            // Named, but in a unit the figure cannot be in ("USD" for EUR).
            return Some(verdict(
                Code::Mismatch,
                stated.amount,
                Some(c.figure),
                None,
                c.last,
            ));
        }
        return Some(verdict(
            Code::UnmatchedNumber,
            stated.amount,
            None,
            None,
            stated.first,
        ));
    };
    // A headline noun narrowed to a part: "215 arrests of drug traffickers".
    if let Figure::Metric(id) = candidate.figure
        && !figures.op.catalogue.get(id).parts.is_empty()
        && let Some((part, part_last)) = narrowing_part(figures, reading, id, candidate.last)
        && let Some(part_value) = figures.value(Figure::Metric(part))
    {
        let (part_code, part_amount) = judge_readings(stated, &part_value);
        let part = Some(Figure::Metric(part));
        return Some(if agrees(part_code) {
            verdict(part_code, part_amount, part, None, part_last)
        } else if agrees(code) {
            verdict(
                Code::BreakdownMismatch,
                part_amount,
                part,
                Some(id),
                part_last,
            )
        } else {
            verdict(Code::Mismatch, part_amount, part, Some(id), part_last)
        });
    }
    // A part's noun with its total's number: "215 drug traffickers" when
    // arrests are 215 and drug trafficking accounts for 31.
    let total = figures
        .parent(candidate.figure)
        .filter(|_| code == Code::Mismatch)
        .filter(|&parent| {
            figures
                .value(Figure::Metric(parent))
                .is_some_and(|v| agrees(judge_readings(stated, &v).0))
        });
    // …unless the words go on to list its other parts: "almost 290 000
    // persons, vehicles, parcels and premises" states the total (or, in a
    // national passage, the country's own total).
    if let Some(parent) = figures
        .parent(candidate.figure)
        .filter(|_| code == Code::Mismatch)
        && let Some(last) = lists_other_parts(figures, reading, parent, &candidate)
        && let Some(value) = figures.value(Figure::Metric(parent))
    {
        let judged = judge_readings(stated, &value);
        let (figure, (code, amount)) = match own_figure(figures, reading, stated, parent) {
            Some(own) if !agrees(judged.0) => own,
            _ => (Figure::Metric(parent), judged),
        };
        return Some(verdict(code, amount, Some(figure), None, last));
    }
    // A national version: "Germany contributed 1 200 officers" states
    // Germany's own figure, not the operation's.
    if let Figure::Metric(id) = candidate.figure
        && !agrees(code)
        && let Some((figure, (code, amount))) = own_figure(figures, reading, stated, id)
    {
        return Some(verdict(code, amount, Some(figure), None, candidate.last));
    }
    let code = if total.is_some() {
        Code::BreakdownMismatch
    } else {
        code
    };
    Some(verdict(
        code,
        amount,
        Some(candidate.figure),
        total,
        candidate.last,
    ))
}

/// How many participants a colon at token `at` goes on to name, up to the
/// sentence's end (0 without the colon).
fn lists_participants(op: &Operation, reading: &Reading, at: usize) -> u64 {
    if !matches!(
        reading.tokens.get(at).map(|t| &t.kind),
        Some(TokenKind::Punct(':'))
    ) {
        return 0;
    }
    let end = (at + 1..reading.tokens.len())
        .find(|&k| {
            matches!(
                reading.tokens.get(k).map(|t| &t.kind),
                Some(TokenKind::Break | TokenKind::Punct('.' | ';' | '!' | '?'))
            )
        })
        .unwrap_or(reading.tokens.len());
    let words: Vec<&str> = (at + 1..end)
        .filter_map(|k| reading.word(k).map(|(_, lower, _)| lower))
        .collect();
    op.participants
        .iter()
        .filter(|participant| {
            let name = participant.name.to_lowercase();
            let name: Vec<&str> = name.split_whitespace().collect();
            !name.is_empty() && words.windows(name.len()).any(|w| w == name.as_slice())
        })
        .count() as u64
}

/// Whether a verdict's code says the statement holds, or nearly.
fn agrees(code: Code) -> bool {
    rank(code) < rank(Code::Mismatch)
}

/// The candidates `window` (the words after a number) names at its start.
fn named_by(figures: &Figures, window: &[(String, usize)]) -> Vec<Candidate> {
    figures
        .names
        .iter()
        .filter_map(|name| {
            let (score, last) = score_after(&name.stems, window)?;
            Some(Candidate {
                figure: name.figure,
                score,
                last,
            })
        })
        .collect()
}

/// The own figure of the country `stated`'s sentence names, for `metric`,
/// if the statement agrees with it.
fn own_figure(
    figures: &Figures,
    reading: &Reading,
    stated: &Stated,
    metric: MetricId,
) -> Option<(Figure, (Code, Amount))> {
    let figure = Figure::Reported(figures.named_reporter(reading, stated)?, metric);
    let judged = judge_readings(stated, &figures.value(figure)?);
    agrees(judged.0).then_some((figure, judged))
}

/// The verdict that `stated`, read as `amount`, is `code` for `figure`
/// (narrowed from `narrowed`); its words run to token `last`.
fn quantity_verdict(
    reading: &Reading,
    stated: &Stated,
    (code, amount): (Code, Amount),
    figure: Option<Figure>,
    narrowed: Option<MetricId>,
    last: usize,
) -> (Verdict, usize) {
    let end = if figure.is_none() {
        stated.span.end
    } else {
        reading
            .tokens
            .get(last)
            .map_or(stated.span.end, |t| t.span.end.max(stated.span.end))
    };
    (
        Verdict {
            code,
            span: Some(stated.span.start..end),
            statement: Some(Statement::Quantity {
                qualifier: stated.qualifier,
                amount,
                unit: stated.unit,
            }),
            figure,
            narrowed,
        },
        last.max(stated.next.saturating_sub(1)),
    )
}

/// The token of M in "N of M …" or "N of the M …", if `stated` is N.
fn share_of(reading: &Reading, stated: &Stated) -> Option<usize> {
    if reading.word(stated.next).map(|(_, lower, _)| lower) != Some("of") {
        return None;
    }
    let whole = match reading.word(stated.next + 1) {
        Some((_, "the", _)) => stated.next + 2,
        _ => stated.next + 1,
    };
    matches!(
        reading.tokens.get(whole).map(|t| &t.kind),
        Some(TokenKind::Number(_))
    )
    .then_some(whole)
}

/// The verdict on N in "N of M <group>": against the group the words
/// after M name, when they name one of members (countries, a country
/// group, agencies) and N agrees; else none, for N is a share of M.
fn share(
    figures: &Figures,
    reading: &Reading,
    stated: &Stated,
    whole: usize,
) -> Option<(Verdict, usize)> {
    let after = words_after(reading, whole + 1);
    let (candidate, code, amount) = figures
        .names
        .iter()
        .filter(|name| {
            matches!(
                name.figure,
                Figure::Countries | Figure::CountryGroup(_) | Figure::Group(_)
            )
        })
        .filter_map(|name| {
            let (score, last) = score_after(&name.stems, &after)?;
            let (code, amount) = judge_readings(stated, &figures.value(name.figure)?);
            Some((
                Candidate {
                    figure: name.figure,
                    score,
                    last,
                },
                code,
                amount,
            ))
        })
        .filter(|(_, code, _)| agrees(*code))
        .max_by_key(|(c, _, _)| c.score)?;
    Some(quantity_verdict(
        reading,
        stated,
        (code, amount),
        Some(candidate.figure),
        None,
        candidate.last,
    ))
}

/// The last token of the list of `parent`'s parts that goes on after
/// `candidate`'s name ("persons, vehicles, parcels and premises"), if at
/// least one more part follows.
fn lists_other_parts(
    figures: &Figures,
    reading: &Reading,
    parent: MetricId,
    candidate: &Candidate,
) -> Option<usize> {
    let parts = &figures.op.catalogue.get(parent).parts;
    let mut last = candidate.last;
    let mut listed = 0;
    loop {
        let rest = words_after(reading, last + 1);
        let next = figures
            .names
            .iter()
            .filter_map(|name| match name.figure {
                Figure::Metric(part)
                    if parts.contains(&part) && name.figure != candidate.figure =>
                {
                    score_after(&name.stems, &rest).map(|(_, end)| end)
                }
                _ => None,
            })
            .max();
        match next {
            Some(end) => {
                listed += 1;
                last = end;
            }
            None => break,
        }
    }
    (listed > 0).then_some(last)
}

/// A part of `metric` named in the words right after its name ("arrests
/// of drug traffickers"), and the last token of the part's name.
fn narrowing_part(
    figures: &Figures,
    reading: &Reading,
    metric: MetricId,
    last: usize,
) -> Option<(MetricId, usize)> {
    let rest = words_after(reading, last + 1);
    let parts = &figures.op.catalogue.get(metric).parts;
    figures
        .names
        .iter()
        .filter_map(|name| match name.figure {
            Figure::Metric(part) if parts.contains(&part) => {
                let (score, end) = score_after(&name.stems, &rest)?;
                (score.full || score.words >= 2).then_some((score, part, end))
            }
            _ => None,
        })
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, part, end)| (part, end))
}

/// Figures of the operation no verdict matched: said to be unmentioned.
pub fn unmentioned(figures: &Figures, verdicts: &[Verdict]) -> Vec<Verdict> {
    let mentioned = |id: MetricId| {
        verdicts
            .iter()
            .any(|v| v.figure == Some(Figure::Metric(id)) || v.narrowed == Some(id))
    };
    figures
        .op
        .catalogue
        .iter()
        .filter(|m| figures.totals.metric(m.id).value.is_some() && !mentioned(m.id))
        .map(|m| Verdict {
            code: Code::UnmentionedFigure,
            span: None,
            statement: None,
            figure: Some(Figure::Metric(m.id)),
            narrowed: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(text: &str) -> Stated {
        reading::read(text, &[]).quantities.remove(0)
    }

    fn exact(n: f64, unit: Unit) -> Value {
        let q = Qualified {
            amount: n,
            qualifier: Qualifier::Exact,
        };
        Value {
            nominal: q,
            shown: q,
            low: n,
            high: Some(n),
            unit,
        }
    }

    fn judged(text: &str, value: &Value) -> Code {
        judge_readings(&stated(text), value).0
    }

    #[test]
    fn qualified_statements_hold_or_contradict() {
        let entities = exact(288_774.0, Unit::Count);
        assert_eq!(judged("almost 290 000", &entities), Code::Consistent);
        assert_eq!(judged("more than 280 000", &entities), Code::Consistent);
        assert_eq!(judged("more than 290 000", &entities), Code::Mismatch);
        assert_eq!(judged("almost 280 000", &entities), Code::Mismatch);
        assert_eq!(judged("288 774", &entities), Code::Matches);
        assert_eq!(judged("289 000", &entities), Code::RoundedWithoutQualifier);
        assert_eq!(judged("288 000", &entities), Code::Mismatch);
    }

    #[test]
    fn small_counts_must_be_exact() {
        let children = exact(124.0, Unit::Count);
        assert_eq!(judged("120", &children), Code::Mismatch);
        assert_eq!(judged("about 120", &children), Code::Consistent);
        let entries = exact(4_117.0, Unit::Count);
        assert_eq!(judged("4 100", &entries), Code::RoundedWithoutQualifier);
    }

    #[test]
    fn units_convert_and_qualified_figures_keep_their_words() {
        let cocaine = exact(2_600.0, Unit::Kilogram);
        assert_eq!(judged("2.6 tonnes", &cocaine), Code::Matches);
        assert_eq!(judged("2 600 kg", &cocaine), Code::Matches);
        assert_eq!(judged("2.7 t", &cocaine), Code::Mismatch);
        let almost = Qualified {
            amount: 1_000.0,
            qualifier: Qualifier::Almost,
        };
        let drugs = Value {
            nominal: almost,
            shown: almost,
            low: 900.0,
            high: Some(1_000.0),
            unit: Unit::Kilogram,
        };
        assert_eq!(judged("almost a tonne", &drugs), Code::Matches);
        assert_eq!(judged("1 t", &drugs), Code::QualifierDropped);
        assert_eq!(judged("about 950 kg", &drugs), Code::Consistent);
        assert_eq!(judged("more than 2 t", &drugs), Code::Mismatch);
    }

    #[test]
    fn an_ambiguous_separator_counts_in_the_reading_the_figure_supports() {
        assert_eq!(
            judged("22.488", &exact(22_488.0, Unit::Count)),
            Code::Matches
        );
        assert_eq!(
            judged("22.488 t", &exact(22_488.0, Unit::Kilogram)),
            Code::Matches
        );
    }
}
