//! EU membership of a participant's country at a date. The country comes
//! from the country table (so "the UK", "GB" and "United Kingdom" are one
//! state), looked up once when the operation is loaded.

use crate::model::countries::{self, Country, EuStatus};
use crate::model::{Operation, Participant};
use time::Date;

/// What the built-in list says of `name` on `day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Member,
    /// A state that was or will be a member, but not on that day.
    NotOnThatDay,
    /// Not a state that was ever a member (or not a state the table knows).
    Unknown,
}

pub fn membership(country: Option<&Country>, day: Date) -> Membership {
    match country.map(|c| c.eu_status(day)) {
        Some(EuStatus::Member) => Membership::Member,
        Some(EuStatus::NotOnThatDay) => Membership::NotOnThatDay,
        Some(EuStatus::Never) | None => Membership::Unknown,
    }
}

/// Whether the participant's country was a member on the operation's first
/// and last day.
pub fn member_throughout(op: &Operation, participant: &Participant) -> bool {
    [op.start, op.end]
        .into_iter()
        .all(|day| membership(participant.country, day) == Membership::Member)
}

/// Names of the states that were members on `day`, for suggestions.
pub fn members_on(day: Date) -> Vec<&'static str> {
    countries::eu_members_on(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn membership(name: &str, day: Date) -> Membership {
        super::membership(countries::lookup(name), day)
    }

    #[test]
    fn membership_follows_accession_and_exit_dates() {
        assert_eq!(
            membership("Croatia", date!(2013 - 06 - 30)),
            Membership::NotOnThatDay
        );
        assert_eq!(
            membership("Croatia", date!(2013 - 07 - 01)),
            Membership::Member
        );
        assert_eq!(
            membership("United Kingdom", date!(2019 - 12 - 01)),
            Membership::Member
        );
        assert_eq!(
            membership("United Kingdom", date!(2023 - 11 - 13)),
            Membership::NotOnThatDay
        );
        assert_eq!(
            membership("czech republic", date!(2023 - 11 - 13)),
            Membership::Member
        );
        assert_eq!(
            membership("Türkiye", date!(2023 - 11 - 13)),
            Membership::Unknown
        );
        assert_eq!(members_on(date!(2023 - 11 - 13)).len(), 27);
    }

    #[test]
    fn every_form_of_the_uk_is_a_member_in_2019_and_not_in_2021() {
        for form in [
            "United Kingdom",
            "the United Kingdom",
            "the UK",
            "UK",
            "GB",
            "gbr",
        ] {
            assert_eq!(
                membership(form, date!(2019 - 11 - 13)),
                Membership::Member,
                "{form}"
            );
            assert_eq!(
                membership(form, date!(2021 - 11 - 13)),
                Membership::NotOnThatDay,
                "{form}"
            );
        }
    }
}
