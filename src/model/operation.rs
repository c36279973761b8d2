//! The validated operation: identity, participants and returns.

use super::catalogue::{Catalogue, MetricId, Rule};
use super::countries::Country;
use super::presentation::{Layout, Presentation, Templates};
use super::quantity::{Quantity, Unit};
use crate::source::{Location, Place, Sources};
use std::path::PathBuf;
use time::Date;

/// Everything read from an operation folder, validated and typed.
#[derive(Debug)]
pub struct Operation {
    pub dir: PathBuf,
    pub id: String,
    pub name: String,
    pub short_name: String,
    /// Where the action took place, for headlines ("Southern Europe").
    pub region: Option<String>,
    /// What the operation targeted, in the coordinators' words.
    pub description: Option<String>,
    pub start: Date,
    pub end: Date,
    pub coordinator: Option<String>,
    pub coordination_centre: Option<String>,
    pub marking: String,
    /// The language of the texts, a BCP 47 tag (`language`, default "en"):
    /// the briefing's `/Lang`.
    pub language: String,
    /// The date the figures are published as of; used for document dates.
    pub published: Option<Date>,
    /// The number of countries the operation claims, with its location.
    pub countries_claimed: Option<(u64, Location)>,
    /// What the counted participants are called: "countries" unless the
    /// release says e.g. "countries and territories".
    pub countries_noun: String,
    pub catalogue: Catalogue,
    pub rules: Vec<Rule>,
    pub groups: Vec<Group>,
    pub participants: Vec<Participant>,
    pub footnotes: Vec<Footnote>,
    pub activities: Vec<Activity>,
    pub references: Vec<Reference>,
    pub returns: Vec<Return>,
    /// Who sent which return, for the questions every partner pack asks.
    pub returns_index: ReturnIndex,
    /// In the order they were applied (by date, then file and position).
    pub corrections: Vec<Correction>,
    /// `[reporting]`: who reports daily, and the days that are not action days.
    pub reporting: Reporting,
    pub release: ReleasePolicy,
    /// `[presentation]`: the headline and tiles the operation chose.
    pub presentation: Presentation,
    /// The briefing layout: the operation's templates/briefing.toml or the
    /// shipped one.
    pub layout: Layout,
    /// The text templates: the operation's overrides, else the shipped ones.
    pub templates: Templates,
    pub sources: Sources,
    pub location: Location,
}

/// What a participant group is, where membership can be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    EuMemberStates,
    NonEuCountries,
    /// Countries of any membership: opbrief works out which were EU
    /// Member States at the operation's dates.
    Countries,
    EuAgencies,
    Partners,
    Other,
}

impl GroupKind {
    pub const ALL: [GroupKind; 6] = [
        GroupKind::EuMemberStates,
        GroupKind::NonEuCountries,
        GroupKind::Countries,
        GroupKind::EuAgencies,
        GroupKind::Partners,
        GroupKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            GroupKind::EuMemberStates => "eu-member-states",
            GroupKind::NonEuCountries => "non-eu-countries",
            GroupKind::Countries => "countries",
            GroupKind::EuAgencies => "eu-agencies",
            GroupKind::Partners => "partners",
            GroupKind::Other => "other",
        }
    }

    /// Whether members of this group count as participating countries.
    pub fn is_countries(self) -> bool {
        matches!(
            self,
            GroupKind::EuMemberStates | GroupKind::NonEuCountries | GroupKind::Countries
        )
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    pub label: String,
    pub kind: GroupKind,
    /// Empty when the release gives only a count.
    pub members: Vec<ParticipantId>,
    /// The number of members the release claims ("12 EU Member States").
    pub count: Option<(u64, Location)>,
    pub location: Location,
}

impl Group {
    /// The claimed count, else the number listed.
    pub fn stated_count(&self) -> u64 {
        self.count
            .as_ref()
            .map_or(self.members.len() as u64, |(n, _)| *n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipantId(pub usize);

#[derive(Clone, Debug)]
pub struct Participant {
    /// As the operation writes it; documents print this form.
    pub name: String,
    pub group: usize,
    pub footnote: Option<usize>,
    /// The country the name means, if the country table knows it (by
    /// name or alias; by ISO code too in country groups).
    pub country: Option<&'static Country>,
    /// The country a regional unit or other sub-national reporter belongs
    /// to (`[part_of]`); it is counted under that country.
    pub part_of: Option<PartOf>,
    pub location: Location,
}

/// What a sub-national participant belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartOf {
    /// A listed participant (a country group member).
    Participant(ParticipantId),
    /// A known country the operation does not list.
    Country(&'static Country),
}

/// What documents say about participation: "officers from 26 countries",
/// "12 EU Member States and 9 non-EU countries".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participation {
    /// The claimed count, else the groups' counts, else the countries
    /// listed; `None` when nothing is known (say nothing about countries).
    pub countries: Option<u64>,
    /// "countries", or the operation's `countries_noun`.
    pub noun: String,
    /// Per country group, in listing order; a `countries` group with a
    /// list is split into its EU Member States and the others.
    pub groups: Vec<GroupCount>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCount {
    pub label: String,
    /// `EuMemberStates` or `NonEuCountries` for the halves of a split
    /// `countries` group.
    pub kind: GroupKind,
    pub count: u64,
    /// The members counted, when listed (one member reads better by name).
    pub members: Vec<ParticipantId>,
}

/// Which country a participant counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum CountryKey {
    Known(&'static str),
    /// A name the country table does not know (a fictional state in a
    /// test, or a spelling it lacks): itself.
    Named(ParticipantId),
}

/// A note attached to participants by a marker, e.g. the Kosovo* designation.
#[derive(Clone, Debug)]
pub struct Footnote {
    pub marker: String,
    pub text: String,
    pub location: Location,
}

/// A named strand of the operation (e.g. cyber patrolling) with its own participants.
#[derive(Clone, Debug)]
pub struct Activity {
    pub label: String,
    pub description: String,
    pub participants: Vec<ParticipantId>,
    pub metrics: Vec<MetricId>,
}

/// A publication the figures were taken from or checked against.
#[derive(Clone, Debug)]
pub struct Reference {
    pub title: String,
    pub date: Option<Date>,
    pub location: Location,
}

/// Which participants get a partner pack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PackRecipients {
    /// Participants with returns; every listed country when only
    /// consolidated figures exist.
    #[default]
    Auto,
    /// Participants that sent returns.
    Reporters,
    /// Every listed country.
    Countries,
    /// No partner packs.
    None,
}

/// What the release policy allows partner packs to contain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleasePolicy {
    pub packs: PackRecipients,
    /// Reporters whose own figures every pack may show (default: none).
    pub shared_reporters: Vec<ParticipantId>,
    /// Whether the briefing may show figures per reporter (charts and the
    /// per-reporter table). `[release] briefing_reporters`; default: not
    /// when the marking is PUBLIC, where a reporter's own figures are
    /// theirs to publish.
    pub briefing_reporters: bool,
}

/// Who a return speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reporter {
    /// The coordination centre's consolidated figures for the operation.
    Coordination,
    Participant(ParticipantId),
}

/// The returns by sender, built once after loading: an operation can have
/// 50 000 returns and a partner pack per reporter, and each pack asks which
/// returns and files are its own.
#[derive(Clone, Debug, Default)]
pub struct ReturnIndex {
    /// Per participant, indices into `Operation::returns`, in file order.
    by_participant: Vec<Vec<usize>>,
    /// Per source file index, the participant whose return it holds (a
    /// returns file holds exactly one return).
    by_source: Vec<Option<ParticipantId>>,
    /// Source files that hold no participant's return (operation.toml,
    /// consolidated figures, corrections, the catalogue), in order.
    unowned: Vec<usize>,
}

impl ReturnIndex {
    pub fn new(returns: &[Return], participants: usize, sources: usize) -> ReturnIndex {
        let mut by_participant = vec![Vec::new(); participants];
        let mut by_source = vec![None; sources];
        for (at, ret) in returns.iter().enumerate() {
            let Reporter::Participant(id) = ret.reporter else {
                continue;
            };
            if let Some(own) = by_participant.get_mut(id.0) {
                own.push(at);
            }
            if let Some(owner) = by_source.get_mut(ret.source) {
                *owner = Some(id);
            }
        }
        let unowned = (0..sources).filter(|&s| by_source[s].is_none()).collect();
        ReturnIndex {
            by_participant,
            by_source,
            unowned,
        }
    }

    /// Source files that hold no participant's return, in order.
    pub fn unowned_sources(&self) -> &[usize] {
        &self.unowned
    }

    /// Indices of the participant's returns, in file order.
    pub fn of(&self, id: ParticipantId) -> &[usize] {
        self.by_participant.get(id.0).map_or(&[], Vec::as_slice)
    }

    pub fn has_returns(&self, id: ParticipantId) -> bool {
        !self.of(id).is_empty()
    }

    /// The participant whose return the source file holds, if any.
    pub fn reporter_of_source(&self, source: usize) -> Option<ParticipantId> {
        self.by_source.get(source).copied().flatten()
    }
}

/// One return: a reporter's figures for one day or the whole operation.
#[derive(Clone, Debug)]
pub struct Return {
    pub source: usize,
    pub reporter: Reporter,
    pub reporter_location: Location,
    pub day: Option<Date>,
    /// At most one per metric, sorted by metric.
    pub figures: Vec<Figure>,
}

impl Return {
    /// The figure this return states for `metric`, if any.
    pub fn figure(&self, metric: MetricId) -> Option<&Figure> {
        let at = self
            .figures
            .binary_search_by_key(&metric, |f| f.metric)
            .ok()?;
        self.figures.get(at)
    }
}

/// One stated figure, converted into its metric's unit.
#[derive(Clone, Debug)]
pub struct Figure {
    pub metric: MetricId,
    pub quantity: Quantity,
    /// The unit the figure was written in (before conversion).
    pub stated_unit: Unit,
    /// Where the value now in force was written: the return, or the
    /// correction that replaced it.
    pub place: Place,
    /// The correction (index into `Operation::corrections`) that set it.
    pub corrected_by: Option<u32>,
}

// 50 000 returns hold 1.75 million figures: each byte here is 1.75 MB.
const _: () = assert!(std::mem::size_of::<Figure>() <= 64);

/// What the completeness-by-day check expects.
#[derive(Clone, Debug, Default)]
pub struct Reporting {
    /// The participants that report daily; `None`: every participant that
    /// sent a daily return.
    pub daily: Option<Vec<ParticipantId>>,
    /// Days of the period on which no return is expected.
    pub not_action_days: std::collections::BTreeSet<Date>,
}

/// A dated change to one figure of one return, with who asked and why.
#[derive(Clone, Debug)]
pub struct Correction {
    /// Names the correction across revisions: the file's `id`, else
    /// `<file>#<n>` (its position in the file, from 1).
    pub id: String,
    pub date: Date,
    pub reporter: Reporter,
    pub day: Option<Date>,
    pub metric: MetricId,
    /// The value in force it replaces; `None` (`from = "none"`): it adds a
    /// figure no return stated, a late figure.
    pub from: Option<Quantity>,
    pub to: Quantity,
    /// The unit `to` was written in.
    pub to_unit: Unit,
    pub reason: String,
    pub requested_by: String,
    /// Where the entry is (its `to` value).
    pub location: Location,
    pub from_location: Location,
    pub outcome: CorrectionOutcome,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CorrectionOutcome {
    /// Applied over the value written at `replaced`, or (`None`) added to
    /// its return as a figure the return did not state.
    Applied { replaced: Option<Location> },
    /// Not applied: the figure in force is not `from` (or there is none).
    Stale {
        current: Option<(Quantity, Location)>,
    },
}

impl Operation {
    pub fn participant(&self, id: ParticipantId) -> &Participant {
        &self.participants[id.0]
    }

    pub fn reporter_name(&self, reporter: Reporter) -> &str {
        match reporter {
            Reporter::Coordination => "coordination",
            Reporter::Participant(id) => &self.participant(id).name,
        }
    }

    /// The participant's name with its footnote marker, e.g. "Kosovo*".
    pub fn marked_name(&self, id: ParticipantId) -> String {
        let participant = self.participant(id);
        match participant.footnote {
            Some(f) => format!("{}{}", participant.name, self.footnotes[f].marker),
            None => participant.name.clone(),
        }
    }

    /// The country `id` counts as: its `part_of` country, else itself.
    fn country_key(&self, id: ParticipantId) -> CountryKey {
        let participant = self.participant(id);
        let (id, participant) = match participant.part_of {
            Some(PartOf::Country(country)) => return CountryKey::Known(country.alpha3),
            Some(PartOf::Participant(target)) => (target, self.participant(target)),
            None => (id, participant),
        };
        match participant.country {
            Some(country) => CountryKey::Known(country.alpha3),
            None => CountryKey::Named(id),
        }
    }

    /// The known country `id` counts as, if any (through `part_of`).
    pub fn country_of(&self, id: ParticipantId) -> Option<&'static Country> {
        let participant = self.participant(id);
        match participant.part_of {
            Some(PartOf::Country(country)) => Some(country),
            Some(PartOf::Participant(target)) => self.participant(target).country,
            None => participant.country,
        }
    }

    /// Number of distinct countries listed: members of country groups and
    /// the countries `[part_of]` names, each counted once.
    pub fn listed_countries(&self) -> usize {
        let in_groups = self
            .groups
            .iter()
            .filter(|g| g.kind.is_countries())
            .flat_map(|g| g.members.iter().copied());
        let part_of = (0..self.participants.len())
            .map(ParticipantId)
            .filter(|&id| self.participant(id).part_of.is_some());
        let keys: std::collections::HashSet<CountryKey> = in_groups
            .chain(part_of)
            .map(|id| self.country_key(id))
            .collect();
        keys.len()
    }

    /// Whether every country group lists its members, so that the listed
    /// countries are all the countries (a count-only group is not).
    pub fn countries_fully_listed(&self) -> bool {
        self.groups
            .iter()
            .filter(|g| g.kind.is_countries())
            .all(|g| !g.members.is_empty())
    }

    /// What documents say about participation, from the claims and lists.
    pub fn participation(&self) -> Participation {
        let country_groups: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| g.kind.is_countries())
            .collect();
        let any_group_count = country_groups.iter().any(|g| g.count.is_some());
        let listed = self.listed_countries() as u64;
        let countries = match &self.countries_claimed {
            Some((n, _)) => Some(*n),
            None if any_group_count => Some(
                country_groups
                    .iter()
                    .fold(0u64, |sum, g| sum.saturating_add(g.stated_count())),
            ),
            None => Some(listed),
        }
        // "0 countries" is never worth saying.
        .filter(|&n| n > 0);
        let mut groups = Vec::new();
        for group in country_groups {
            if group.kind != GroupKind::Countries || group.members.is_empty() {
                let count = group.stated_count();
                if count > 0 {
                    groups.push(GroupCount {
                        label: group.label.clone(),
                        kind: group.kind,
                        count,
                        members: group.members.clone(),
                    });
                }
                continue;
            }
            let (eu, others): (Vec<ParticipantId>, Vec<ParticipantId>) =
                group.members.iter().partition(|&&id| {
                    self.country_of(id)
                        .is_some_and(|c| c.eu_member_throughout(self.start, self.end))
                });
            for (label, kind, members) in [
                ("EU Member States", GroupKind::EuMemberStates, eu),
                ("non-EU countries", GroupKind::NonEuCountries, others),
            ] {
                if members.is_empty() {
                    continue;
                }
                // Two lists of countries (searched, cooperating) split into
                // one count per side, not "five EU Member States, … and two
                // EU Member States".
                match groups
                    .iter_mut()
                    .find(|g| g.kind == kind && g.label == label)
                {
                    Some(split) => {
                        split.count += members.len() as u64;
                        split.members.extend(members);
                    }
                    None => groups.push(GroupCount {
                        label: label.to_string(),
                        kind,
                        count: members.len() as u64,
                        members,
                    }),
                }
            }
        }
        Participation {
            countries,
            noun: self.countries_noun.clone(),
            groups,
        }
    }

    /// The participants that receive a partner pack, in listing order.
    pub fn pack_recipients(&self) -> Vec<ParticipantId> {
        let reporters = || -> Vec<ParticipantId> {
            (0..self.participants.len())
                .map(ParticipantId)
                .filter(|&id| self.returns_index.has_returns(id))
                .collect()
        };
        let countries = || -> Vec<ParticipantId> {
            self.groups
                .iter()
                .filter(|g| g.kind.is_countries())
                .flat_map(|g| g.members.iter().copied())
                .collect()
        };
        match self.release.packs {
            PackRecipients::Auto if self.has_participant_returns() => reporters(),
            PackRecipients::Auto | PackRecipients::Countries => countries(),
            PackRecipients::Reporters => reporters(),
            PackRecipients::None => Vec::new(),
        }
    }

    /// Whether any return comes from a participant rather than the coordination.
    pub fn has_participant_returns(&self) -> bool {
        self.returns
            .iter()
            .any(|r| matches!(r.reporter, Reporter::Participant(_)))
    }
}
