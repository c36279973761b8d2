//! Built-in EU membership with accession and exit dates.

use time::{Date, Month};

/// A calendar date as (year, month, day).
type Ymd = (i32, u8, u8);

/// (name, accession, exit)
const MEMBERS: &[(&str, Ymd, Option<Ymd>)] = &[
    ("Belgium", (1958, 1, 1), None),
    ("France", (1958, 1, 1), None),
    ("Germany", (1958, 1, 1), None),
    ("Italy", (1958, 1, 1), None),
    ("Luxembourg", (1958, 1, 1), None),
    ("Netherlands", (1958, 1, 1), None),
    ("Denmark", (1973, 1, 1), None),
    ("Ireland", (1973, 1, 1), None),
    ("United Kingdom", (1973, 1, 1), Some((2020, 1, 31))),
    ("Greece", (1981, 1, 1), None),
    ("Portugal", (1986, 1, 1), None),
    ("Spain", (1986, 1, 1), None),
    ("Austria", (1995, 1, 1), None),
    ("Finland", (1995, 1, 1), None),
    ("Sweden", (1995, 1, 1), None),
    ("Cyprus", (2004, 5, 1), None),
    ("Czechia", (2004, 5, 1), None),
    ("Estonia", (2004, 5, 1), None),
    ("Hungary", (2004, 5, 1), None),
    ("Latvia", (2004, 5, 1), None),
    ("Lithuania", (2004, 5, 1), None),
    ("Malta", (2004, 5, 1), None),
    ("Poland", (2004, 5, 1), None),
    ("Slovakia", (2004, 5, 1), None),
    ("Slovenia", (2004, 5, 1), None),
    ("Bulgaria", (2007, 1, 1), None),
    ("Romania", (2007, 1, 1), None),
    ("Croatia", (2013, 7, 1), None),
];

/// Other names in use for the same state.
const ALIASES: &[(&str, &str)] = &[
    ("Czech Republic", "Czechia"),
    ("The Netherlands", "Netherlands"),
    ("UK", "United Kingdom"),
    ("Republic of Cyprus", "Cyprus"),
    ("Slovak Republic", "Slovakia"),
];

fn date((y, m, d): Ymd) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// What the built-in list says of `name` on `day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Member,
    /// A state that was or will be a member, but not on that day.
    NotOnThatDay,
    /// Not a state the list knows.
    Unknown,
}

pub fn membership(name: &str, day: Date) -> Membership {
    let canonical = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
        .map_or(name, |(_, c)| c);
    let Some((_, joined, left)) = MEMBERS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(canonical))
    else {
        return Membership::Unknown;
    };
    let joined = date(*joined);
    let left = left.and_then(date);
    let after_joining = joined.is_some_and(|j| day >= j);
    let before_leaving = left.is_none_or(|l| day <= l);
    if after_joining && before_leaving {
        Membership::Member
    } else {
        Membership::NotOnThatDay
    }
}

/// Names of the states that were members on `day`, for suggestions.
pub fn members_on(day: Date) -> Vec<&'static str> {
    MEMBERS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| membership(n, day) == Membership::Member)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
}
