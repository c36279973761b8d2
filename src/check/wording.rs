//! Findings in words, made at the edges (terminal, JSON, briefing, sheets)
//! from a finding's subject and values; and each finding's identity across
//! revisions, made from ids rather than from its sentence.

use super::eu;
use super::finding::{Code, Finding, Severity, Subject};
use crate::format;
use crate::model::{Estimate, Operation, Reporter, Unit};
use crate::narrate::view::long_date;

/// What a warning adds when only the approximations can explain it.
const MAY_BE_APPROXIMATION: &str = "; the difference may be explained by the approximations";

/// The finding as one English sentence.
pub fn message(op: &Operation, finding: &Finding) -> String {
    let unit = finding.unit(op).unwrap_or(Unit::Count);
    let value = |e: Option<Estimate>| {
        e.map(|e| format::quantity(e.nominal, unit))
            .unwrap_or_default()
    };
    let (stated, computed) = (value(finding.stated), value(finding.computed));
    let difference = finding
        .difference
        .map(|d| format!(" (difference {})", format::signed(d)))
        .unwrap_or_default();
    let approximate = if finding.severity == Severity::Warning {
        MAY_BE_APPROXIMATION
    } else {
        ""
    };
    let label = |id| op.catalogue.get(id).label.as_str();
    match finding.subject {
        Subject::Breakdown { metric, ret } => {
            let whose = match op.returns.get(ret).map(|r| r.reporter) {
                Some(reporter @ Reporter::Participant(_)) => {
                    format!(" in the return of {}", op.reporter_name(reporter))
                }
                _ => String::new(),
            };
            format!(
                "{}: stated {stated} but its parts add up to {computed}{difference}{whose}{approximate}",
                label(metric)
            )
        }
        Subject::Consolidated { metric } => format!(
            "{}: consolidated figure {stated} but the returns add up to {computed}{difference}{approximate}",
            label(metric)
        ),
        Subject::Rule { rule, approximate } => {
            let Some(rule) = op.rules.get(rule) else {
                return String::new();
            };
            let right_unit = op.catalogue.get(rule.right).unit;
            let right = finding
                .computed
                .map(|e| format::quantity(e.nominal, right_unit))
                .unwrap_or_default();
            let mut text = format!(
                "rule `{}`: {} ({stated}) should be {} {} ({right})",
                rule.id,
                label(rule.left),
                rule.relation.words(),
                label(rule.right),
            );
            if approximate {
                text.push_str(MAY_BE_APPROXIMATION);
            }
            if let Some(note) = &rule.message {
                text = format!("{text}: {note}");
            }
            text
        }
        Subject::CountryCount {
            against_group_counts,
        } => {
            let how = if against_group_counts {
                "its country groups count"
            } else {
                "lists"
            };
            let where_ = if against_group_counts {
                ""
            } else {
                " in its country groups"
            };
            format!(
                "the operation claims {stated} {} but {how} {computed}{where_}{difference}",
                op.countries_noun
            )
        }
        Subject::GroupCount { group } => format!(
            "“{}” claims {stated} but lists {computed}{difference}",
            op.groups.get(group).map_or("", |g| g.label.as_str())
        ),
        Subject::Membership { participant, group } => {
            let name = &op.participant(participant).name;
            let group = op.groups.get(group).map_or("", |g| g.label.as_str());
            if finding.code == Code::EuMemberStateOutsideEuGroup {
                return format!("{name} is an EU Member State but is listed under “{group}”");
            }
            let country = op.participant(participant).country;
            let why = if eu::membership(country, op.start) == eu::Membership::Unknown {
                match crate::load::did_you_mean(name, eu::members_on(op.start)) {
                    Some(help) => format!("not an EU Member State; {help}"),
                    None => "not an EU Member State".to_string(),
                }
            } else {
                format!("not an EU Member State on {}–{}", op.start, op.end)
            };
            format!("{name} is listed under “{group}” but is {why}")
        }
        Subject::MissingReturn { participant, group } => format!(
            "{} is listed under “{}” but sent no return; its figures are missing from the totals",
            op.participant(participant).name,
            op.groups.get(group).map_or("", |g| g.label.as_str())
        ),
        Subject::MissingDays {
            participant,
            ref days,
        } => format!(
            "{} reports daily but sent no return for {} ({} of {} action days so far); its figures for {} are missing from the totals",
            op.participant(participant).name,
            days_words(days),
            days.len(),
            action_days_so_far(op),
            if days.len() == 1 {
                "that day"
            } else {
                "those days"
            },
        ),
        Subject::OverlappingReturns { reporter } => format!(
            "{} sent both a return for the whole operation and daily returns; their figures are added together",
            op.reporter_name(reporter)
        ),
        Subject::ImplausibleDay {
            metric,
            ret,
            too_high,
        } => {
            let (reporter, day) = op
                .returns
                .get(ret)
                .map(|r| (op.reporter_name(r.reporter), r.day))
                .unwrap_or_default();
            let day = day.map(|d| d.to_string()).unwrap_or_default();
            let hint = if too_high {
                "an extra digit"
            } else {
                "a missing digit"
            };
            format!(
                "{}: {reporter} reported {stated} on {day}, against a median of {computed} over its days (likely {hint})",
                label(metric)
            )
        }
        Subject::ReturnsSheets { returns, sheets } => format!(
            "{returns} returns are more than one worksheet holds ({} rows): the workbook's Returns table is split over {sheets} sheets (Returns, Returns 2, …)",
            super::SHEET_ROWS
        ),
        Subject::CorrectionDate { correction } => {
            let Some(correction) = op.corrections.get(correction) else {
                return String::new();
            };
            let (reference, what) = match op.published {
                Some(day) => (day, "the figures were published"),
                None => (op.end, "the operation ended"),
            };
            let when = if correction.date < op.start {
                format!("before the operation started on {}", op.start)
            } else {
                format!("more than a year after {what} ({reference})")
            };
            format!(
                "a correction of {} for {} is dated {}, {when}: is the date mistyped?",
                label(correction.metric),
                op.reporter_name(correction.reporter),
                correction.date
            )
        }
        Subject::StaleCorrection { correction } => {
            let Some(correction) = op.corrections.get(correction) else {
                return String::new();
            };
            let whom = match correction.day {
                Some(day) => format!("{} on {day}", op.reporter_name(correction.reporter)),
                None => op.reporter_name(correction.reporter).to_string(),
            };
            let metric = label(correction.metric);
            let has_return = op
                .returns
                .iter()
                .any(|r| r.reporter == correction.reporter && r.day == correction.day);
            match (finding.computed, correction.from) {
                (Some(_), Some(_)) => format!(
                    "stale correction of {metric} for {whom}: it changes {stated} but the figure in force is {computed}; not applied"
                ),
                (Some(_), None) => format!(
                    "stale correction of {metric} for {whom}: it adds a figure (`from = \"none\"`) but the return already states {computed}; not applied (to change it, write `from` as that figure)"
                ),
                (None, Some(_)) if has_return => format!(
                    "stale correction of {metric} for {whom}: the return states no such figure; not applied (to add a figure no return stated, write `from = \"none\"`)"
                ),
                (None, _) => format!(
                    "stale correction of {metric} for {whom}: there is no such return; not applied (a correction changes a return's figures: add a return file to returns/)"
                ),
            }
        }
    }
}

/// "7 March 2024", "7 and 9 March 2024" style dates, the first few then
/// "and N more": a participant may lack most of a long operation's days.
fn days_words(days: &[time::Date]) -> String {
    const SHOWN: usize = 5;
    let mut words: Vec<String> = days.iter().take(SHOWN).map(|d| long_date(*d)).collect();
    if days.len() > SHOWN {
        words.push(format!("{} more days", days.len() - SHOWN));
    }
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The action days up to the latest day any return reports.
pub fn action_days_so_far(op: &Operation) -> usize {
    let latest = op.returns.iter().filter_map(|r| r.day).max();
    super::action_days(op, latest).len()
}

/// What the finding is about, as stable words: the same finding in two
/// revisions has the same subject however its message reads.
pub fn subject(op: &Operation, finding: &Finding) -> String {
    let metric = |id| op.catalogue.get(id).key.as_str();
    let ret = |index: usize| {
        op.returns.get(index).map_or(String::new(), |r| {
            let name = op.reporter_name(r.reporter);
            match r.day {
                Some(day) => format!("{name} {day}"),
                None => name.to_string(),
            }
        })
    };
    let group = |index: usize| op.groups.get(index).map_or("", |g| g.label.as_str());
    match finding.subject {
        Subject::Breakdown { metric: m, ret: r }
        | Subject::ImplausibleDay {
            metric: m, ret: r, ..
        } => format!("{} / {}", metric(m), ret(r)),
        Subject::Consolidated { metric: m } => metric(m).to_string(),
        Subject::Rule { rule, .. } => op.rules.get(rule).map_or(String::new(), |r| r.id.clone()),
        Subject::CountryCount {
            against_group_counts,
        } => if against_group_counts {
            "country groups"
        } else {
            "countries"
        }
        .to_string(),
        Subject::GroupCount { group: g } => group(g).to_string(),
        Subject::Membership {
            participant,
            group: g,
        }
        | Subject::MissingReturn {
            participant,
            group: g,
        } => format!("{} / {}", op.participant(participant).name, group(g)),
        // The participant alone: the days it lacks change as returns arrive.
        Subject::MissingDays { participant, .. } => op.participant(participant).name.clone(),
        Subject::OverlappingReturns { reporter } => op.reporter_name(reporter).to_string(),
        Subject::ReturnsSheets { .. } => "returns sheets".to_string(),
        Subject::StaleCorrection { correction } | Subject::CorrectionDate { correction } => {
            op.corrections.get(correction).map_or(String::new(), |c| {
                let day = c.day.map(|d| format!(" {d}")).unwrap_or_default();
                format!(
                    "{} / {}{day} / {}",
                    metric(c.metric),
                    op.reporter_name(c.reporter),
                    c.date
                )
            })
        }
    }
}

/// What a kind of finding is, in plain words for readers who never see the
/// code: the heading of a group of findings in the briefing.
pub fn kind(code: Code) -> &'static str {
    match code {
        Code::PartsDifferFromTotal => "A figure's parts add up to something else",
        Code::PartsExceedTotal => "A figure's parts add up to more than the figure",
        Code::ReturnsDifferFromConsolidated => {
            "The participants' returns add up to something other than the consolidated figure"
        }
        Code::RuleViolated => "Two figures that should agree do not",
        Code::CountryCountMismatch => "The number of countries stated differs from the list",
        Code::GroupCountMismatch => "A group's stated size differs from its members",
        Code::NotAnEuMemberState => "A country listed as an EU Member State is not one",
        Code::EuMemberStateOutsideEuGroup => "An EU Member State is listed outside the EU group",
        Code::MissingReturn => "A participant sent no return",
        Code::OverlappingReturns => "Returns of one reporter overlap",
        Code::ImplausibleDayFigure => "A day's figure is far from the reporter's others",
        Code::StaleCorrection => "A correction no longer matches the figure it corrects",
        Code::MissingDay => "A daily reporter sent no return for some action days",
        Code::ImplausibleCorrectionDate => "A correction is dated implausibly",
        Code::ReturnsSplitOverSheets => "The returns fill more than one workbook sheet",
    }
}
