//! The typed operation model shared by every stage.

pub mod catalogue;
pub mod countries;
pub mod operation;
pub mod presentation;
pub mod quantity;

pub use catalogue::{
    Breakdown, Catalogue, Metric, MetricId, Noun, Plausibility, Relation, Rule, Tolerance,
};
pub use operation::{
    Activity, Correction, CorrectionOutcome, Figure, Footnote, Group, GroupCount, GroupKind,
    Operation, PackRecipients, PartOf, Participant, ParticipantId, Participation, Reference,
    ReleasePolicy, Reporter, Reporting, Return, ReturnIndex,
};
pub use presentation::{DEFAULT_TEMPLATES, Layout, Presentation, Section, Template, Templates};
pub use quantity::{
    Amount, Bound, Currency, Estimate, Interval, Qualifier, Quantity, Satisfaction, SignedAmount,
    Unit,
};
