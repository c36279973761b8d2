//! The metric catalogue: a tree of metrics with labels, units and breakdowns.

use super::quantity::{Amount, Unit};
use crate::source::Location;
use std::collections::HashMap;

/// Index of a metric in its [`Catalogue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricId(pub usize);

/// How a metric's parts relate to its total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breakdown {
    /// The parts are everything: they must add up to the total.
    Exhaustive,
    /// "including …": the parts must not exceed the total.
    Partial,
}

impl Breakdown {
    pub fn key(self) -> &'static str {
        match self {
            Breakdown::Exhaustive => "exhaustive",
            Breakdown::Partial => "partial",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Metric {
    pub id: MetricId,
    /// Full dotted key, e.g. `arrests.migrant_smuggling`.
    pub key: String,
    /// Short label for tables and charts: "Migrant smuggling".
    pub label: String,
    /// Words after the number in running text: "related to migrant smuggling".
    pub phrase: String,
    /// Words after the number 1: "arrest" (default: `phrase`).
    pub phrase_one: String,
    /// The title of the metric's breakdown chart: "Arrests by crime area"
    /// (default: the label).
    pub chart_title: String,
    /// What a counted thing is called, if the metric counts one: a return
    /// may write it as the unit of a figure ("500 rounds").
    pub noun: Option<Noun>,
    /// Words after the part of an exhaustive total its parts leave
    /// unexplained: "not attributed to a crime area" (default: "not
    /// attributed to any part").
    pub remainder: Option<String>,
    /// Other words for the metric, kept for proof-reading written texts.
    pub aliases: Vec<String>,
    /// The unit figures are summed in: a part's is its total's.
    pub unit: Unit,
    /// The unit a bare number in a return is in: the one the catalogue
    /// declares for the metric (a part may declare t under a kg total).
    pub written_unit: Unit,
    /// Unit to show large amounts in (e.g. tonnes for a kg metric), if any.
    pub display_unit: Option<Unit>,
    pub breakdown: Option<Breakdown>,
    /// How the day-plausibility check treats the metric, when the catalogue
    /// or the operation says (`None`: as its total, else the default).
    pub plausibility: Option<Plausibility>,
    pub parent: Option<MetricId>,
    pub parts: Vec<MetricId>,
    pub depth: usize,
    pub location: Location,
}

/// The day-plausibility check for one metric: a day's figure this many
/// times above or below the reporter's median day is a warning, or no check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plausibility {
    Off,
    /// The factor, above 1 (the default is [`Plausibility::DEFAULT_FACTOR`]).
    Factor(super::Amount),
}

impl Plausibility {
    /// Ten times: an extra or a missing digit.
    pub const DEFAULT_FACTOR: u64 = 10;
}

/// A counted thing's name in the singular and the plural.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Noun {
    pub singular: String,
    pub plural: String,
}

impl Noun {
    /// The form that goes after `count`: "1 cigarette", "2 cigarettes".
    pub fn for_count(&self, is_one: bool) -> &str {
        if is_one { &self.singular } else { &self.plural }
    }
}

impl Metric {
    /// The words after a figure of this metric: `phrase_one` after exactly
    /// one, else `phrase`.
    pub fn phrase_for(&self, is_one: bool) -> &str {
        if is_one {
            &self.phrase_one
        } else {
            &self.phrase
        }
    }

    /// The words a return may write after a figure of this metric instead
    /// of a unit: its noun, singular and plural ("500 rounds").
    pub fn noun_forms(&self) -> Vec<&str> {
        self.noun
            .as_ref()
            .map(|n| vec![n.singular.as_str(), n.plural.as_str()])
            .unwrap_or_default()
    }

    /// The last segment of the key.
    pub fn name(&self) -> &str {
        self.key.rsplit('.').next().unwrap_or(&self.key)
    }
}

/// All metrics of an operation, in declaration order (parents before parts).
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    metrics: Vec<Metric>,
    by_key: HashMap<String, MetricId>,
}

impl Catalogue {
    /// Adds a metric under `parent`; the caller guarantees a fresh key.
    pub fn push(&mut self, mut metric: Metric) -> MetricId {
        let id = MetricId(self.metrics.len());
        metric.id = id;
        if let Some(parent) = metric.parent {
            self.metrics[parent.0].parts.push(id);
        }
        self.by_key.insert(metric.key.clone(), id);
        self.metrics.push(metric);
        id
    }

    pub fn get(&self, id: MetricId) -> &Metric {
        &self.metrics[id.0]
    }

    /// The plausibility setting in force for `id`: its own, else its
    /// nearest total's, else the default factor.
    pub fn plausibility(&self, id: MetricId) -> Plausibility {
        let mut current = Some(id);
        while let Some(id) = current {
            let metric = self.get(id);
            if let Some(setting) = metric.plausibility {
                return setting;
            }
            current = metric.parent;
        }
        Plausibility::Factor(super::Amount::from_units(Plausibility::DEFAULT_FACTOR))
    }

    /// Sets the plausibility check of `id` (from operation.toml).
    pub fn set_plausibility(&mut self, id: MetricId, setting: Plausibility) {
        if let Some(metric) = self.metrics.get_mut(id.0) {
            metric.plausibility = Some(setting);
        }
    }

    pub fn find(&self, key: &str) -> Option<MetricId> {
        self.by_key.get(key).copied()
    }

    /// Whether `part` lies under `whole` in the tree (at any depth).
    pub fn is_within(&self, part: MetricId, whole: MetricId) -> bool {
        let mut current = self.get(part).parent;
        while let Some(id) = current {
            if id == whole {
                return true;
            }
            current = self.get(id).parent;
        }
        false
    }

    pub fn len(&self) -> usize {
        self.metrics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.metrics.is_empty()
    }

    /// Every metric, parents before their parts, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.iter()
    }

    pub fn roots(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.iter().filter(|m| m.parent.is_none())
    }

    /// Metrics with parts, i.e. the breakdowns that get a chart.
    pub fn breakdowns(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.iter().filter(|m| !m.parts.is_empty())
    }

    /// Depth-first order: each metric followed by its parts, as in a table.
    pub fn tree_order(&self) -> Vec<MetricId> {
        fn visit(catalogue: &Catalogue, id: MetricId, out: &mut Vec<MetricId>) {
            out.push(id);
            for &part in &catalogue.get(id).parts {
                visit(catalogue, part, out);
            }
        }
        let mut out = Vec::with_capacity(self.metrics.len());
        for root in self.roots() {
            visit(self, root.id, &mut out);
        }
        out
    }
}

/// Comparison in a declared rule: `left <relation> right`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    AtMost,
    AtLeast,
    Equal,
}

impl Relation {
    pub fn symbol(self) -> &'static str {
        match self {
            Relation::AtMost => "<=",
            Relation::AtLeast => ">=",
            Relation::Equal => "==",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Relation::AtMost => "at most",
            Relation::AtLeast => "at least",
            Relation::Equal => "equal to",
        }
    }
}

/// Slack allowed by a declared rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tolerance {
    Absolute(Amount),
    /// Percent of the right-hand side, as an amount (e.g. 5 = 5 %).
    Percent(Amount),
}

/// A declared relation between two metrics, e.g. illegal entries ≤ persons checked.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub left: MetricId,
    pub relation: Relation,
    pub right: MetricId,
    pub tolerance: Tolerance,
    pub severity: crate::diagnostic::Severity,
    pub message: Option<String>,
    pub location: Location,
}
