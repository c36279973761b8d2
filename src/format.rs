//! Numbers in the house style: `22 488` (no-break space), `626 kg`.

use crate::model::{Amount, Interval, Quantity, SignedAmount, Unit};

/// The thousands separator of the published releases (U+00A0).
pub const GROUP: char = '\u{a0}';

/// `22488` → `22 488`; `1234.5` → `1 234.5`. Four-digit numbers are grouped
/// too (`2 229`), as in the release.
pub fn grouped(amount: Amount) -> String {
    let plain = amount.to_string();
    let (whole, frac) = match plain.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut out = String::with_capacity(plain.len() + whole.len() / 3 * 2);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(GROUP);
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// `-4` → `−4` (minus sign), `4` → `+4`, grouped.
pub fn signed(difference: SignedAmount) -> String {
    let sign = if difference.is_negative() {
        "\u{2212}"
    } else if difference.is_zero() {
        ""
    } else {
        "+"
    };
    format!("{sign}{}", grouped(difference.abs()))
}

/// A number with its unit symbol: `626 kg`, `22 488`.
pub fn with_unit(amount: Amount, unit: Unit) -> String {
    match unit.symbol() {
        "" => grouped(amount),
        symbol => format!("{}{GROUP}{symbol}", grouped(amount)),
    }
}

/// A quantity as worded: `almost 300 kg`, `566`.
pub fn quantity(quantity: Quantity, unit: Unit) -> String {
    match quantity.qualifier.word() {
        "" => with_unit(quantity.amount, unit),
        word => format!("{word} {}", with_unit(quantity.amount, unit)),
    }
}

/// An interval for tables and messages: `562`, `896–926 kg`, `≥ 10`.
pub fn interval(interval: Interval, unit: Unit) -> String {
    let suffix = match unit.symbol() {
        "" => String::new(),
        symbol => format!("{GROUP}{symbol}"),
    };
    match (interval.as_point(), interval.high) {
        (Some(p), _) => format!("{}{suffix}", grouped(p)),
        (None, Some(h)) => format!("{}–{}{suffix}", grouped(interval.low), grouped(h)),
        (None, None) => format!("≥{GROUP}{}{suffix}", grouped(interval.low)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Amount {
        Amount::parse_decimal(text).unwrap()
    }

    #[test]
    fn grouping_matches_the_release() {
        let cases = [
            ("0", "0"),
            ("1", "1"),
            ("999", "999"),
            ("1000", "1\u{a0}000"),
            ("2229", "2\u{a0}229"),
            ("22488", "22\u{a0}488"),
            ("288774", "288\u{a0}774"),
            ("1000000", "1\u{a0}000\u{a0}000"),
            ("1234.5", "1\u{a0}234.5"),
        ];
        for (input, expected) in cases {
            assert_eq!(grouped(a(input)), expected, "{input}");
        }
    }

    #[test]
    fn units_and_qualifiers_are_written_out() {
        assert_eq!(with_unit(a("626"), Unit::Kilogram), "626\u{a0}kg");
        assert_eq!(with_unit(a("20206"), Unit::Pieces), "20\u{a0}206");
        let almost = Quantity {
            amount: a("300"),
            qualifier: crate::model::Qualifier::Almost,
        };
        assert_eq!(quantity(almost, Unit::Kilogram), "almost 300\u{a0}kg");
        assert_eq!(signed(a("566").signed_difference(a("562"))), "+4");
        assert_eq!(signed(a("1").signed_difference(a("1001"))), "\u{2212}1\u{a0}000");
    }
}
