//! Exact quantities: fixed-point amounts, units, qualifiers and intervals.
//!
//! Figures are non-negative and stored in millionths of their unit so that
//! "1.5 t" or "0.3 kg" never pass through a float; sums use checked
//! arithmetic and report overflow instead of wrapping.

use std::fmt;

/// Millionths per whole unit.
const SCALE: u128 = 1_000_000;

/// A non-negative exact amount, in millionths of its unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u128);

impl Amount {
    pub const ZERO: Amount = Amount(0);
    /// Largest amount accepted: a whole-unit value must fit a u64.
    pub const MAX: Amount = Amount(u64::MAX as u128 * SCALE);

    pub fn from_units(units: u64) -> Amount {
        Amount(u128::from(units) * SCALE)
    }

    pub fn from_micros(micros: u128) -> Option<Amount> {
        (micros <= Self::MAX.0).then_some(Amount(micros))
    }

    pub fn micros(self) -> u128 {
        self.0
    }

    /// Parses a plain decimal such as `22488`, `626`, `1.25` (at most six
    /// decimals; no sign, no exponent, no grouping).
    pub fn parse_decimal(text: &str) -> Option<Amount> {
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
            return None;
        }
        if text.contains('.') && frac.is_empty() {
            return None;
        }
        let whole: u128 = whole.parse().ok()?;
        let mut frac_micros: u128 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_micros += u128::from(b - b'0') * 10u128.pow(5 - i as u32);
        }
        Amount::from_micros(whole.checked_mul(SCALE)?.checked_add(frac_micros)?)
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        Amount::from_micros(self.0.checked_add(other.0)?)
    }

    pub fn checked_mul_ratio(self, numerator: u128, denominator: u128) -> Option<Amount> {
        let scaled = self.0.checked_mul(numerator)?;
        if denominator == 0 || scaled % denominator != 0 {
            return None;
        }
        Amount::from_micros(scaled / denominator)
    }

    /// `self - other`, signed.
    pub fn signed_difference(self, other: Amount) -> SignedAmount {
        SignedAmount(self.0 as i128 - other.0 as i128)
    }

    /// Saturating subtraction, for remainders that are known to be ≥ 0.
    pub fn saturating_sub(self, other: Amount) -> Amount {
        Amount(self.0.saturating_sub(other.0))
    }

    pub fn is_whole(self) -> bool {
        self.0.is_multiple_of(SCALE)
    }

    /// The whole part, for counts.
    pub fn whole_units(self) -> u64 {
        (self.0 / SCALE) as u64
    }

    /// A tenth of the amount, truncated to whole micros (for qualifier margins).
    fn tenth(self) -> Amount {
        Amount(self.0 / 10)
    }

    /// Lossy conversion for chart geometry and JSON only; never for sums.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::MAX)
    }
}

impl fmt::Display for Amount {
    /// Plain decimal without grouping: `22488`, `1.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / SCALE;
        let frac = self.0 % SCALE;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// A signed difference between two amounts (stated − computed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SignedAmount(i128);

impl SignedAmount {
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
    pub fn abs(self) -> Amount {
        Amount(self.0.unsigned_abs())
    }
    pub fn to_f64(self) -> f64 {
        let magnitude = self.abs().to_f64();
        if self.0 < 0 { -magnitude } else { magnitude }
    }
}

impl fmt::Display for SignedAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            write!(f, "-{}", self.abs())
        } else {
            write!(f, "{}", self.abs())
        }
    }
}

/// How a figure was worded: exact, or approximate as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    Exact,
    Almost,
    Nearly,
    About,
    Around,
    Some,
    MoreThan,
    Over,
    AtLeast,
    UpTo,
}

/// Which side a qualifier leaves open: what a sum of qualified figures
/// can still claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Exact,
    /// "more than X": X or above.
    Lower,
    /// "almost X": X or below.
    Upper,
    /// "about X": either side.
    Both,
}

impl Qualifier {
    pub const WORDED: [Qualifier; 9] = [
        Qualifier::Almost,
        Qualifier::Nearly,
        Qualifier::About,
        Qualifier::Around,
        Qualifier::Some,
        Qualifier::MoreThan,
        Qualifier::Over,
        Qualifier::AtLeast,
        Qualifier::UpTo,
    ];

    /// The word as it appears in text ("" for exact figures).
    pub fn word(self) -> &'static str {
        match self {
            Qualifier::Exact => "",
            Qualifier::Almost => "almost",
            Qualifier::Nearly => "nearly",
            Qualifier::About => "about",
            Qualifier::Around => "around",
            Qualifier::Some => "some",
            Qualifier::MoreThan => "more than",
            Qualifier::Over => "over",
            Qualifier::AtLeast => "at least",
            Qualifier::UpTo => "up to",
        }
    }

    pub fn bound(self) -> Bound {
        match self {
            Qualifier::Exact => Bound::Exact,
            Qualifier::MoreThan | Qualifier::Over | Qualifier::AtLeast => Bound::Lower,
            Qualifier::Almost | Qualifier::Nearly | Qualifier::UpTo => Bound::Upper,
            Qualifier::About | Qualifier::Around | Qualifier::Some => Bound::Both,
        }
    }

    /// The qualifier of a sum of figures qualified `self` and `other`: exact
    /// when both are; the same word when both share it; otherwise the
    /// side both leave open ("more than" + exact = "more than", "almost" +
    /// "nearly" = "almost"), and "about" for any mix of sides.
    pub fn of_sum(self, other: Qualifier) -> Qualifier {
        if self == other {
            return self;
        }
        match (self.bound(), other.bound()) {
            (Bound::Exact, _) => other,
            (_, Bound::Exact) => self,
            (Bound::Lower, Bound::Lower) => Qualifier::MoreThan,
            (Bound::Upper, Bound::Upper) => Qualifier::Almost,
            _ => Qualifier::About,
        }
    }

    pub fn parse(word: &str) -> Option<Qualifier> {
        let normal = word.trim().to_lowercase().replace(['_', '-'], " ");
        if normal.is_empty() || normal == "exact" || normal == "exactly" {
            return Some(Qualifier::Exact);
        }
        Self::WORDED.into_iter().find(|q| q.word() == normal)
    }

    /// The values a qualified figure admits. "almost/nearly X" is within 10 %
    /// below X; "about/around/some X" within 10 % either side; "more than /
    /// over / at least X" is X or above, with no upper bound; "up to X" is
    /// anything from zero to X.
    pub fn interval(self, value: Amount) -> Interval {
        let margin = value.tenth();
        match self {
            Qualifier::Exact => Interval::point(value),
            Qualifier::Almost | Qualifier::Nearly => Interval {
                low: value.saturating_sub(margin),
                high: Some(value),
            },
            Qualifier::About | Qualifier::Around | Qualifier::Some => Interval {
                low: value.saturating_sub(margin),
                high: value.checked_add(margin),
            },
            Qualifier::MoreThan | Qualifier::Over | Qualifier::AtLeast => Interval {
                low: value,
                high: None,
            },
            Qualifier::UpTo => Interval {
                low: Amount::ZERO,
                high: Some(value),
            },
        }
    }
}

/// A closed range of possible values; `high: None` means unbounded above.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    pub low: Amount,
    pub high: Option<Amount>,
}

impl Interval {
    pub fn point(value: Amount) -> Interval {
        Interval {
            low: value,
            high: Some(value),
        }
    }

    pub fn as_point(self) -> Option<Amount> {
        (self.high == Some(self.low)).then_some(self.low)
    }

    /// Interval sum; `None` on overflow.
    pub fn checked_add(self, other: Interval) -> Option<Interval> {
        let low = self.low.checked_add(other.low)?;
        let high = match (self.high, other.high) {
            (Some(a), Some(b)) => Some(a.checked_add(b)?),
            _ => None,
        };
        Some(Interval { low, high })
    }

    pub fn contains(self, value: Amount) -> bool {
        value >= self.low && self.high.is_none_or(|h| value <= h)
    }

    pub fn overlaps(self, other: Interval) -> bool {
        self.high.is_none_or(|h| h >= other.low) && other.high.is_none_or(|h| h >= self.low)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.as_point(), self.high) {
            (Some(p), _) => write!(f, "{p}"),
            (None, Some(h)) => write!(f, "{}–{}", self.low, h),
            (None, None) => write!(f, "{} or more", self.low),
        }
    }
}

/// Whether a sum of parts may, must, or cannot satisfy a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Satisfaction {
    Always,
    Sometimes,
    Never,
}

impl Interval {
    /// Can `self == other` hold for values inside both intervals?
    pub fn equals(self, other: Interval) -> Satisfaction {
        match (self.as_point(), other.as_point()) {
            (Some(a), Some(b)) if a == b => Satisfaction::Always,
            _ if self.overlaps(other) => Satisfaction::Sometimes,
            _ => Satisfaction::Never,
        }
    }

    /// Can `self <= other + tolerance` hold?
    pub fn at_most(self, other: Interval, tolerance: Amount) -> Satisfaction {
        let other_high = other.high.and_then(|h| h.checked_add(tolerance));
        let other_low = other.low.checked_add(tolerance).unwrap_or(Amount::MAX);
        match (self.high, other_high) {
            (Some(h), _) if h <= other_low => Satisfaction::Always,
            (_, Some(oh)) if self.low > oh => Satisfaction::Never,
            _ => Satisfaction::Sometimes,
        }
    }
}

/// A figure's value with the words it was published with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quantity {
    pub amount: Amount,
    pub qualifier: Qualifier,
}

impl Quantity {
    pub fn exact(amount: Amount) -> Quantity {
        Quantity {
            amount,
            qualifier: Qualifier::Exact,
        }
    }

    pub fn interval(self) -> Interval {
        self.qualifier.interval(self.amount)
    }

    /// The nominal sum: amounts add, qualifiers combine as
    /// [`Qualifier::of_sum`] says. `None` on overflow.
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        Some(Quantity {
            amount: self.amount.checked_add(other.amount)?,
            qualifier: self.qualifier.of_sum(other.qualifier),
        })
    }

    /// A computed qualified value as it may be printed: at most three
    /// significant digits, rounded the way the qualifier still holds
    /// ("more than 178.56 t" becomes "more than 178 t", "almost 706 580"
    /// becomes "almost 707 000", "about" rounds to the nearest). Exact
    /// values stay in full: their digits are all known.
    pub fn rounded_for_print(self) -> Quantity {
        const SIGNIFICANT: u32 = 3;
        let micros = self.amount.micros();
        if self.qualifier == Qualifier::Exact || micros == 0 {
            return self;
        }
        let digits = micros.ilog10() + 1;
        if digits <= SIGNIFICANT {
            return self;
        }
        let step = 10u128.pow(digits - SIGNIFICANT);
        let down = micros / step * step;
        let rounded = match self.qualifier.bound() {
            Bound::Lower | Bound::Exact => down,
            Bound::Upper if down == micros => down,
            Bound::Upper => down + step,
            Bound::Both if micros - down >= step / 2 => down + step,
            Bound::Both => down,
        };
        Quantity {
            amount: Amount::from_micros(rounded).unwrap_or(self.amount),
            qualifier: self.qualifier,
        }
    }
}

/// A value both as published and as possible: the nominal quantity (the
/// number printed, or the sum of the printed numbers with the qualifier a
/// sum keeps) and every value the figures admit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Estimate {
    pub nominal: Quantity,
    pub interval: Interval,
}

impl Estimate {
    pub fn exact(amount: Amount) -> Estimate {
        Estimate::of(Quantity::exact(amount))
    }

    pub fn of(quantity: Quantity) -> Estimate {
        Estimate {
            nominal: quantity,
            interval: quantity.interval(),
        }
    }

    /// Nominal amounts and intervals both add; `None` on overflow.
    pub fn checked_add(self, other: Estimate) -> Option<Estimate> {
        Some(Estimate {
            nominal: self.nominal.checked_add(other.nominal)?,
            interval: self.interval.checked_add(other.interval)?,
        })
    }

    /// What a total known only through some of its parts is: at least
    /// their sum.
    pub fn at_least(self) -> Estimate {
        Estimate {
            nominal: Quantity {
                amount: self.nominal.amount,
                qualifier: self.nominal.qualifier.of_sum(Qualifier::AtLeast),
            },
            interval: Interval {
                low: self.interval.low,
                high: None,
            },
        }
    }

    /// The quantity to print for a computed value: exact in full, a
    /// qualified one to three significant digits.
    pub fn shown(self) -> Quantity {
        match self.interval.as_point() {
            Some(point) => Quantity::exact(point),
            None => self.nominal.rounded_for_print(),
        }
    }
}

/// An ISO 4217 currency, by its three-letter code. Amounts in different
/// currencies never convert into each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// ISO 4217 codes of current currencies, and of the euro area's and other
/// recent predecessors that older releases still quote.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN \
ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD \
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU \
MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB \
RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD \
TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL \
BYR EEK HRK LTL LVL MRO SKK STD VEF";

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");

    /// A listed ISO 4217 code, in upper case (`USD`, `eur` is not accepted
    /// here: [`Unit::parse`] folds case first).
    pub fn from_code(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        CURRENCIES
            .split_ascii_whitespace()
            .any(|listed| listed.as_bytes() == bytes)
            .then_some(Currency(bytes))
    }

    pub fn code(&self) -> &str {
        // Only ASCII codes from CURRENCIES are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// The signs the releases write before an amount: € $ £.
    pub fn from_sign(sign: char) -> Option<Currency> {
        match sign {
            '€' => Some(Currency::EUR),
            '$' => Some(Currency::USD),
            '£' => Some(Currency::GBP),
            _ => None,
        }
    }
}

/// Units a metric or a figure can be expressed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    Count,
    Pieces,
    Gram,
    Kilogram,
    Tonne,
    Litre,
    CubicMetre,
    /// The US gallon (3.785411784 l), as the Americas' releases measure fuel.
    Gallon,
    Money(Currency),
}

/// What a unit measures; only units of one dimension convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Count,
    Pieces,
    Mass,
    Volume,
    Money(Currency),
}

impl Unit {
    pub const EURO: Unit = Unit::Money(Currency::EUR);

    /// The units with a fixed name, for suggestions; any ISO 4217 code is
    /// a unit too.
    pub const NAMED: [Unit; 10] = [
        Unit::Count,
        Unit::Pieces,
        Unit::Gram,
        Unit::Kilogram,
        Unit::Tonne,
        Unit::Litre,
        Unit::CubicMetre,
        Unit::Gallon,
        Unit::EURO,
        Unit::Money(Currency::USD),
    ];

    /// The canonical name used in files and JSON.
    pub fn key(&self) -> &str {
        match self {
            Unit::Count => "count",
            Unit::Pieces => "pieces",
            Unit::Gram => "g",
            Unit::Kilogram => "kg",
            Unit::Tonne => "t",
            Unit::Litre => "l",
            Unit::CubicMetre => "m3",
            Unit::Gallon => "gal",
            Unit::Money(currency) => currency.code(),
        }
    }

    /// Written after a number in text; empty for plain counts. Currencies
    /// are written before the number (see [`Unit::is_prefix`]).
    pub fn symbol(&self) -> &str {
        match self {
            Unit::Count | Unit::Pieces => "",
            Unit::CubicMetre => "m³",
            other => other.key(),
        }
    }

    /// Whether the symbol goes before the number, as "EUR 706 600" does in
    /// EU publications.
    pub fn is_prefix(&self) -> bool {
        matches!(self, Unit::Money(_))
    }

    pub fn parse(text: &str) -> Option<Unit> {
        let text = text.trim();
        Some(match text {
            "count" | "number" => Unit::Count,
            "pieces" | "piece" | "pcs" => Unit::Pieces,
            "g" | "gram" | "grams" => Unit::Gram,
            "kg" | "kilo" | "kilos" | "kilogram" | "kilograms" => Unit::Kilogram,
            "t" | "tonne" | "tonnes" | "ton" | "tons" => Unit::Tonne,
            "l" | "L" | "litre" | "litres" | "liter" | "liters" => Unit::Litre,
            "m3" | "m³" | "cubic metre" | "cubic metres" | "cubic meter" | "cubic meters" => {
                Unit::CubicMetre
            }
            "gal" | "gallon" | "gallons" => Unit::Gallon,
            // "pounds" is left out: mass or sterling, a reader cannot tell.
            "€" | "euro" | "euros" => Unit::EURO,
            "$" | "dollar" | "dollars" | "US dollars" => Unit::Money(Currency::USD),
            "£" => Unit::Money(Currency::GBP),
            // Lower-case codes would read typos as currencies ("kgs" is the
            // Kyrgyz som): only the euro, dollar and pound are folded.
            "eur" => Unit::EURO,
            "usd" => Unit::Money(Currency::USD),
            "gbp" => Unit::Money(Currency::GBP),
            code => Unit::Money(Currency::from_code(code)?),
        })
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Count => Dimension::Count,
            Unit::Pieces => Dimension::Pieces,
            Unit::Gram | Unit::Kilogram | Unit::Tonne => Dimension::Mass,
            Unit::Litre | Unit::CubicMetre | Unit::Gallon => Dimension::Volume,
            Unit::Money(currency) => Dimension::Money(currency),
        }
    }

    /// Size of the unit in a common measure of its dimension: grams for
    /// mass, nanolitres for volume (so the gallon is a whole number).
    fn factor(self) -> u128 {
        match self {
            Unit::Kilogram => 1_000,
            Unit::Tonne => 1_000_000,
            Unit::Litre => 1_000_000_000,
            Unit::CubicMetre => 1_000_000_000_000,
            Unit::Gallon => 3_785_411_784,
            _ => 1,
        }
    }

    /// Whether amounts in this unit must be whole numbers.
    pub fn is_countable(self) -> bool {
        matches!(self.dimension(), Dimension::Count | Dimension::Pieces)
    }

    /// Converts `amount` from `self` into `target`. `Err` names why not:
    /// incompatible dimensions, or a value too precise or too large.
    pub fn convert(self, amount: Amount, target: Unit) -> Result<Amount, ConversionError> {
        if self.dimension() != target.dimension() {
            return Err(ConversionError::Incompatible);
        }
        amount
            .checked_mul_ratio(self.factor(), target.factor())
            .ok_or(ConversionError::OutOfRange)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionError {
    Incompatible,
    OutOfRange,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amt(text: &str) -> Amount {
        Amount::parse_decimal(text).unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(amt("0.1").checked_add(amt("0.2")), Some(amt("0.3")));
        assert_eq!(amt("0.3").to_string(), "0.3");
        assert_eq!(amt("22488").to_string(), "22488");
        assert_eq!(amt("1.250").to_string(), "1.25");
        for bad in ["", ".5", "5.", "-1", "1e3", "1 000", "0.0000001", "abc"] {
            assert_eq!(Amount::parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn sums_overflow_as_none() {
        let max = Amount::from_units(u64::MAX);
        assert_eq!(max.checked_add(Amount::from_units(1)), None);
        assert_eq!(Amount::parse_decimal("18446744073709551616"), None);
    }

    #[test]
    fn qualifiers_become_intervals() {
        let v = Amount::from_units(300);
        assert_eq!(
            Qualifier::Almost.interval(v),
            Interval {
                low: Amount::from_units(270),
                high: Some(v)
            }
        );
        assert_eq!(
            Qualifier::About.interval(v),
            Interval {
                low: Amount::from_units(270),
                high: Some(Amount::from_units(330))
            }
        );
        assert_eq!(Qualifier::MoreThan.interval(v).high, None);
        assert_eq!(Qualifier::Exact.interval(v), Interval::point(v));
        assert_eq!(Qualifier::parse("More than"), Some(Qualifier::MoreThan));
        assert_eq!(Qualifier::parse("at_least"), Some(Qualifier::AtLeast));
        assert_eq!(Qualifier::parse("roughly"), None);
    }

    #[test]
    fn interval_sums_contain_point_sums() {
        let a = Qualifier::Almost.interval(Amount::from_units(300));
        let b = Interval::point(Amount::from_units(626));
        let sum = a.checked_add(b).unwrap();
        assert_eq!(sum.low, Amount::from_units(896));
        assert_eq!(sum.high, Some(Amount::from_units(926)));
        for x in 270..=300 {
            assert!(sum.contains(Amount::from_units(x + 626)));
        }
        let open = Qualifier::Over.interval(Amount::from_units(1));
        assert_eq!(sum.checked_add(open).unwrap().high, None);
    }

    #[test]
    fn comparisons_are_interval_aware() {
        let p = |n| Interval::point(Amount::from_units(n));
        assert_eq!(p(562).equals(p(562)), Satisfaction::Always);
        assert_eq!(p(562).equals(p(566)), Satisfaction::Never);
        let almost_1000 = Qualifier::Almost.interval(Amount::from_units(1000));
        assert_eq!(p(950).equals(almost_1000), Satisfaction::Sometimes);
        assert_eq!(
            p(900).at_most(almost_1000, Amount::ZERO),
            Satisfaction::Always
        );
        assert_eq!(
            p(950).at_most(almost_1000, Amount::ZERO),
            Satisfaction::Sometimes
        );
        assert_eq!(
            p(1001).at_most(almost_1000, Amount::ZERO),
            Satisfaction::Never
        );
        assert_eq!(
            p(1001).at_most(almost_1000, Amount::from_units(1)),
            Satisfaction::Sometimes
        );
        let more_than = Qualifier::MoreThan.interval(Amount::from_units(10));
        assert_eq!(p(5).at_most(more_than, Amount::ZERO), Satisfaction::Always);
        assert_eq!(
            p(50).at_most(more_than, Amount::ZERO),
            Satisfaction::Sometimes
        );
        assert_eq!(more_than.at_most(p(5), Amount::ZERO), Satisfaction::Never);
    }

    #[test]
    fn sums_of_qualified_figures_keep_a_qualifier_from_the_table() {
        use Qualifier::{About, Almost, Around, AtLeast, Exact, MoreThan, Nearly, Over, UpTo};
        assert_eq!(Exact.of_sum(Exact), Exact);
        assert_eq!(Exact.of_sum(Over), Over);
        assert_eq!(Over.of_sum(MoreThan), MoreThan);
        assert_eq!(AtLeast.of_sum(Exact), AtLeast);
        assert_eq!(Almost.of_sum(Nearly), Almost);
        assert_eq!(UpTo.of_sum(Exact), UpTo);
        assert_eq!(Almost.of_sum(MoreThan), About);
        assert_eq!(About.of_sum(Exact), About);
        assert_eq!(Around.of_sum(MoreThan), About);
        let q = |n, qualifier| Quantity {
            amount: Amount::from_units(n),
            qualifier,
        };
        assert_eq!(
            q(300, Almost).checked_add(q(626, Exact)),
            Some(q(926, Almost))
        );
    }

    #[test]
    fn computed_qualified_values_print_with_three_significant_digits() {
        let q = |text: &str, qualifier| Quantity {
            amount: amt(text),
            qualifier,
        };
        let shown = |x: Quantity| x.rounded_for_print().amount.to_string();
        assert_eq!(shown(q("178.5609", Qualifier::AtLeast)), "178");
        assert_eq!(shown(q("706580", Qualifier::Almost)), "707000");
        assert_eq!(shown(q("706000", Qualifier::Almost)), "706000");
        assert_eq!(shown(q("133481", Qualifier::About)), "133000");
        assert_eq!(shown(q("673500", Qualifier::About)), "674000");
        assert_eq!(shown(q("0.12345", Qualifier::About)), "0.123");
        assert_eq!(shown(q("42", Qualifier::About)), "42");
        assert_eq!(shown(q("133481", Qualifier::Exact)), "133481");
    }

    #[test]
    fn currencies_are_iso_codes_that_never_convert() {
        assert_eq!(Unit::parse("USD"), Some(Unit::Money(Currency::USD)));
        assert_eq!(Unit::parse("€"), Some(Unit::EURO));
        assert_eq!(Unit::parse("eur"), Some(Unit::EURO));
        assert_eq!(
            Unit::parse("COP").map(|u| u.key().to_string()),
            Some("COP".into())
        );
        assert_eq!(Unit::parse("XYZ"), None);
        assert_eq!(Unit::parse("kgs"), None);
        assert_eq!(
            Unit::EURO.convert(amt("5"), Unit::Money(Currency::USD)),
            Err(ConversionError::Incompatible)
        );
        assert_eq!(
            Unit::CubicMetre.convert(amt("1.5"), Unit::Litre),
            Ok(Amount::from_units(1500))
        );
        assert_eq!(
            Unit::Gallon.convert(amt("1000"), Unit::Litre),
            Ok(amt("3785.411784"))
        );
        // 1 gallon is 3.785411784 l: more decimals than a figure keeps.
        assert_eq!(
            Unit::Gallon.convert(amt("1"), Unit::Litre),
            Err(ConversionError::OutOfRange)
        );
    }

    #[test]
    fn units_convert_within_a_dimension_only() {
        assert_eq!(
            Unit::Tonne.convert(amt("1.2"), Unit::Kilogram),
            Ok(Amount::from_units(1200))
        );
        assert_eq!(
            Unit::Gram.convert(amt("500"), Unit::Kilogram),
            Ok(amt("0.5"))
        );
        assert_eq!(
            Unit::Kilogram.convert(amt("1"), Unit::Pieces),
            Err(ConversionError::Incompatible)
        );
        assert_eq!(
            Unit::Gram.convert(amt("0.000001"), Unit::Tonne),
            Err(ConversionError::OutOfRange)
        );
    }
}
