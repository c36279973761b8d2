//! Dates and lengths of time a text states, against the action days.

use super::reading::{Dated, Lasting, TimeUnit};
use super::{Code, Figure, Statement, Verdict};
use crate::model::Operation;
use std::ops::Range;
use time::Date;

/// A date or month against the period (and the publication date). A miss
/// by a week or a month at most is a mismatch (the slip "from 8 to 14
/// April" for 9–15 April), and so is one further off in the operation's
/// year when its sentence names the action or it ends a range ("the action
/// ran from 2 to 13 October"); other dates further off, or of another
/// year, are probably about something else ("the first action in May
/// 2024"): a warning. A range with one end on the period's and the other
/// inside it misstates the period ("from 28 July to 23 November" for 28
/// June – 23 November).
pub fn date(op: &Operation, dates: &[Dated], index: usize) -> Option<Verdict> {
    const NEAR_DAYS: i64 = 7;
    let dated = dates.get(index)?;
    let partner = dated.range.and_then(|r| dates.get(r));
    let years: Vec<i32> = match dated.year.or(partner.and_then(|p| p.year)) {
        Some(year) => vec![year],
        None => (op.start.year()..=op.end.year()).collect(),
    };
    // Days (or months) from the period, per candidate year: 0 inside it.
    let month_key = |y: i32, m: time::Month| i64::from(y) * 12 + i64::from(u8::from(m));
    let distance = |year: i32| -> Option<i64> {
        match dated.day {
            Some(day) => {
                let d = Date::from_calendar_date(year, dated.month, day).ok()?;
                // The release's own date, unless said of the action ("the
                // operation ended on 26 July").
                if op.published == Some(d) && !dated.anchored {
                    return Some(0);
                }
                Some(
                    (op.start - d)
                        .whole_days()
                        .max((d - op.end).whole_days())
                        .max(0),
                )
            }
            None => {
                // Not the publication month: "concluded in March" for action
                // days in February is the slip proof is there to catch.
                let wanted = month_key(year, dated.month);
                let from = month_key(op.start.year(), op.start.month());
                let to = month_key(op.end.year(), op.end.month());
                // A month off counts as a near miss, like a week off.
                Some(((from - wanted).max(wanted - to).max(0)) * NEAR_DAYS)
            }
        }
    };
    let other_year = dated
        .year
        .is_some_and(|y| y < op.start.year() || y > op.end.year());
    let code = match years.iter().filter_map(|&y| distance(y)).min() {
        Some(0) if misstates_range(op, dates, index, &years) => Code::Mismatch,
        Some(0) => Code::Matches,
        Some(days) if days <= NEAR_DAYS => Code::Mismatch,
        _ if other_year => Code::OutsidePeriod,
        _ if dated.anchored || partner.is_some() => Code::Mismatch,
        _ => Code::OutsidePeriod,
    };
    Some(verdict(
        code,
        &dated.span,
        Statement::Date {
            day: dated.day,
            month: dated.month,
            year: dated.year,
        },
    ))
}

/// Whether date `index`, inside the period, is the end of a range whose
/// other end is the period's own while this one is not.
fn misstates_range(op: &Operation, dates: &[Dated], index: usize, years: &[i32]) -> bool {
    let Some(dated) = dates.get(index) else {
        return false;
    };
    let Some(partner) = dated.range.and_then(|r| dates.get(r)) else {
        return false;
    };
    let on = |d: &Dated, year: i32| {
        d.day
            .and_then(|day| Date::from_calendar_date(year, d.month, day).ok())
    };
    let is_start = dated.range.is_some_and(|r| r > index);
    years.iter().any(|&year| {
        let (Some(this), Some(other)) = (on(dated, year), on(partner, year)) else {
            return false;
        };
        if is_start {
            other == op.end && this != op.start
        } else {
            other == op.start && this != op.end
        }
    })
}

/// A length of time against the period's days; one not said of the
/// action and far from the period's length is only a warning.
pub fn duration(op: &Operation, lasting: &Lasting) -> Verdict {
    let days = ((op.end - op.start).whole_days() + 1) as f64;
    let count = lasting.count as f64;
    let (length, slack) = match lasting.unit {
        TimeUnit::Day => (count, 0.0),
        // An action week is 5–8 days, as the documents say it.
        TimeUnit::Week if lasting.count == 1 => (6.5, 1.5),
        TimeUnit::Week => (7.0 * count, 3.0),
        TimeUnit::Month => (30.44 * count, 15.0),
        TimeUnit::Year => (365.25 * count, 31.0),
    };
    let holds = match lasting.qualifier.bound() {
        crate::model::Bound::Exact | crate::model::Bound::Both => (days - length).abs() <= slack,
        crate::model::Bound::Lower => days + slack >= length,
        // "almost four weeks" is not 19 days: close below, not anywhere.
        crate::model::Bound::Upper => days <= length + slack && days >= 0.8 * length - slack,
    };
    // "Over forty days" for thirty is the slip; "the cycle runs for
    // four years" beside a five-day action is about something else.
    let code = if holds {
        Code::Matches
    } else if lasting.anchored || (length / days).max(days / length) <= 4.0 {
        Code::Mismatch
    } else {
        Code::OutsidePeriod
    };
    verdict(
        code,
        &lasting.span,
        Statement::Duration {
            qualifier: lasting.qualifier,
            count: lasting.count,
            unit: lasting.unit,
        },
    )
}

/// A verdict on what the text says of the period.
fn verdict(code: Code, span: &Range<usize>, statement: Statement) -> Verdict {
    Verdict {
        code,
        span: Some(span.clone()),
        statement: Some(statement),
        figure: Some(Figure::Period),
        narrowed: None,
    }
}
