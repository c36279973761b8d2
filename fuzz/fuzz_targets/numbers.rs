//! Bytes → figure text parsing and number formatting. Must never panic,
//! and what is printed must read back as the same figure.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opbrief::format;
use opbrief::model::{Amount, Qualifier, Unit};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Amount::parse_decimal(&text);
    let Ok((quantity, unit)) = opbrief::load::read_figure_text(&text) else {
        return;
    };
    let amount = quantity.amount;
    // Grouping only inserts separators.
    let grouped = format::grouped(amount);
    assert_eq!(grouped.replace(format::GROUP, ""), amount.to_string());
    // The release's rounding: the worded interval holds the exact figure.
    let approx = format::approximate(amount);
    assert!(approx.interval().contains(amount), "{amount} → {approx:?}");
    let _ = format::interval(quantity.interval(), unit.unwrap_or(Unit::Count));
    for unit in Unit::ALL {
        // Printed text reads back as the same quantity, in every unit.
        let printed = format::quantity(quantity, unit);
        let (again, again_unit) = opbrief::load::read_figure_text(&printed)
            .unwrap_or_else(|e| panic!("{printed:?} does not read back: {e}"));
        assert_eq!(again, quantity, "{printed:?}");
        assert_eq!(again_unit.unwrap_or(Unit::Count).symbol(), unit.symbol());
        for target in Unit::ALL {
            let _ = unit.convert(amount, target);
            let _ = format::best_unit(amount, unit, Some(target));
        }
    }
    let _ = format::percent(amount, Amount::from_units(1));
    let _ = format::percent(Amount::from_units(1), amount);
    let _ = Qualifier::parse(&text);
});
