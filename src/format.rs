//! Numbers in the house style: `22 488` (no-break space), `626 kg`.

use crate::model::{Amount, Interval, Qualifier, Quantity, SignedAmount, Unit};

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

/// A number as the releases write it: grouped (`22 488`), and from a
/// million up in words when that is exact to two decimals (`67 million`,
/// `EUR 35.82 million`, `2 billion`), as press officers write them.
pub fn number(amount: Amount) -> String {
    const SCALES: [(u64, &str); 2] = [(1_000_000_000, "billion"), (1_000_000, "million")];
    if amount.is_whole() {
        let n = amount.whole_units();
        for (scale, word) in SCALES {
            // Exact in hundredths of the scale, below a thousand of it:
            // "35.82 million", never "35.8213 million" or "1 234 million".
            if n >= scale && n.is_multiple_of(scale / 100) && n / (scale / 100) < 100_000 {
                let tenths = Amount::from_units(n / (scale / 100))
                    .checked_mul_ratio(1, 100)
                    .unwrap_or(amount);
                return format!("{}{GROUP}{word}", grouped(tenths));
            }
        }
    }
    grouped(amount)
}

/// A number with its unit symbol: `626 kg`, `22 488`, `EUR 706 600`
/// (currencies before the number, as in EU publications).
pub fn with_unit(amount: Amount, unit: Unit) -> String {
    match unit.symbol() {
        "" => number(amount),
        symbol if unit.is_prefix() => format!("{symbol}{GROUP}{}", number(amount)),
        symbol => format!("{}{GROUP}{symbol}", number(amount)),
    }
}

/// A correction's `from`: the value it replaces, or "none" for a figure
/// no return stated.
pub fn replaced(from: Option<Quantity>, unit: Unit) -> String {
    from.map_or_else(|| "none".to_string(), |q| quantity(q, unit))
}

/// A quantity as worded: `almost 300 kg`, `566`.
pub fn quantity(quantity: Quantity, unit: Unit) -> String {
    match quantity.qualifier.word() {
        "" => with_unit(quantity.amount, unit),
        word => format!("{word} {}", with_unit(quantity.amount, unit)),
    }
}

/// An interval for tables and messages: `562`, `896–926 kg`,
/// `at least 10` (in words: a reader need not decode a sign).
pub fn interval(interval: Interval, unit: Unit) -> String {
    let (prefix, suffix) = match unit.symbol() {
        "" => (String::new(), String::new()),
        symbol if unit.is_prefix() => (format!("{symbol}{GROUP}"), String::new()),
        symbol => (String::new(), format!("{GROUP}{symbol}")),
    };
    match (interval.as_point(), interval.high) {
        (Some(p), _) => format!("{prefix}{}{suffix}", grouped(p)),
        (None, Some(h)) => format!("{prefix}{}–{}{suffix}", grouped(interval.low), grouped(h)),
        (None, None) => format!("at least {prefix}{}{suffix}", grouped(interval.low)),
    }
}

/// The release's rounding for running text: two significant digits,
/// "almost" when rounded up, "more than" when rounded down; exact below
/// 1 000, for exact round numbers and for decimals.
pub fn approximate(amount: Amount) -> Quantity {
    let n = amount.whole_units();
    if !amount.is_whole() || n < 1_000 {
        return Quantity::exact(amount);
    }
    // A number of three significant digits is already short ("2 250",
    // "EUR 13.5 million"); so is one the house style writes in words
    // ("EUR 35.82 million").
    let significant = n.to_string().trim_end_matches('0').len();
    if significant <= 3 || number(amount).ends_with("illion") {
        return Quantity::exact(amount);
    }
    let digits = n.ilog10() + 1;
    let step = 10u128.pow(digits - 2);
    let n = u128::from(n);
    let rounded = (n + step / 2) / step * step;
    let qualifier = match rounded.cmp(&n) {
        std::cmp::Ordering::Equal => Qualifier::Exact,
        std::cmp::Ordering::Greater => Qualifier::Almost,
        std::cmp::Ordering::Less => Qualifier::MoreThan,
    };
    let rounded = u64::try_from(rounded).map_or(amount, Amount::from_units);
    Quantity {
        amount: rounded,
        qualifier,
    }
}

/// A quantity in the unit it reads best in: the metric's display unit
/// (e.g. t for kg) from one whole display unit up.
pub fn best_unit(amount: Amount, unit: Unit, display: Option<Unit>) -> (Amount, Unit) {
    match display {
        Some(target) => match unit.convert(amount, target) {
            Ok(converted) if converted >= Amount::from_units(1) => (converted, target),
            _ => (amount, unit),
        },
        None => (amount, unit),
    }
}

/// `part` as a share of `whole`: `38.5%` (one decimal, rounded half up).
pub fn percent(part: Amount, whole: Amount) -> Option<String> {
    if whole == Amount::ZERO {
        return None;
    }
    let tenths = (part.micros().checked_mul(1000)? + whole.micros() / 2) / whole.micros();
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximations_use_the_release_wording() {
        let cases = [
            ("288774", "almost 290\u{a0}000"),
            ("22488", "more than 22\u{a0}000"),
            ("0", "0"),
            ("1", "1"),
            ("999", "999"),
            ("1000", "1\u{a0}000"),
            ("1000000", "1\u{a0}million"),
            ("1000001", "more than 1\u{a0}million"),
            ("999999", "almost 1\u{a0}million"),
            ("2229", "more than 2\u{a0}200"),
            ("2250", "2\u{a0}250"),
            ("13500000", "13.5\u{a0}million"),
            ("35820000", "35.82\u{a0}million"),
            ("35821000", "almost 36\u{a0}million"),
            ("2249", "more than 2\u{a0}200"),
            ("215273", "almost 220\u{a0}000"),
            ("210499", "more than 210\u{a0}000"),
            ("626.5", "626.5"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                quantity(approximate(a(input)), Unit::Count),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn display_units_and_percentages() {
        assert_eq!(
            best_unit(a("1200"), Unit::Kilogram, Some(Unit::Tonne)),
            (a("1.2"), Unit::Tonne)
        );
        assert_eq!(
            best_unit(a("626"), Unit::Kilogram, Some(Unit::Tonne)),
            (a("626"), Unit::Kilogram)
        );
        assert_eq!(percent(a("218"), a("566")), Some("38.5%".into()));
        assert_eq!(percent(a("1"), a("3")), Some("33.3%".into()));
        assert_eq!(percent(a("1"), Amount::ZERO), None);
    }

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
        assert_eq!(with_unit(a("706600"), Unit::EURO), "EUR\u{a0}706\u{a0}600");
        assert_eq!(with_unit(a("67000000"), Unit::Count), "67\u{a0}million");
        assert_eq!(
            with_unit(a("13500000"), Unit::EURO),
            "EUR\u{a0}13.5\u{a0}million"
        );
        assert_eq!(
            with_unit(a("35820000"), Unit::EURO),
            "EUR\u{a0}35.82\u{a0}million"
        );
        assert_eq!(with_unit(a("2000000000"), Unit::Count), "2\u{a0}billion");
        assert_eq!(
            with_unit(a("22488000"), Unit::Count),
            "22\u{a0}488\u{a0}000"
        );
        assert_eq!(with_unit(a("1500"), Unit::CubicMetre), "1\u{a0}500\u{a0}m³");
        let almost = Quantity {
            amount: a("300"),
            qualifier: Qualifier::Almost,
        };
        assert_eq!(quantity(almost, Unit::Kilogram), "almost 300\u{a0}kg");
        assert_eq!(signed(a("566").signed_difference(a("562"))), "+4");
        assert_eq!(
            signed(a("1").signed_difference(a("1001"))),
            "\u{2212}1\u{a0}000"
        );
    }
}
