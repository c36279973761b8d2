//! The typed operation model shared by every stage.

pub mod catalogue;
pub mod countries;
pub mod operation;
pub mod quantity;

pub use catalogue::{Breakdown, Catalogue, Metric, MetricId, Relation, Rule, Tolerance};
pub use operation::{
    Activity, Correction, CorrectionOutcome, Figure, Footnote, Group, GroupCount, GroupKind,
    Operation, PackRecipients, PartOf, Participant, ParticipantId, Participation, Reference,
    ReleasePolicy, Reporter, Return, ReturnIndex,
};
pub use quantity::{
    Amount, Bound, Currency, Estimate, Interval, Qualifier, Quantity, Satisfaction, SignedAmount,
    Unit,
};
