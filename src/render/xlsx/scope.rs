//! What one workbook may show: everything (the master) or, for a partner
//! pack, the operation totals plus the partner's own (and shared reporters')
//! figures, files and findings. Every sheet asks the scope; no sheet decides
//! the release policy on its own.
//!
//! Corrections follow the returns they change: a pack lists the corrections
//! to the partner's own (and shared reporters') returns and to the
//! coordination's consolidated figures (the totals every pack shows), never
//! one to another reporter's return. Who asked for a correction and why is
//! free text that may name someone else: it is shown only when it names
//! someone the pack may name and no one it may not.

use crate::changes::FindingRecord;
use crate::check::{Finding, Subject};
use crate::model::{Correction, Operation, ParticipantId, Reporter, Return};
use std::collections::BTreeSet;

/// A place in an input file, for matching findings against corrections.
type Place = (usize, usize);

fn place(location: &crate::source::Location) -> Place {
    (location.source, location.line)
}

pub struct Scope<'a> {
    op: &'a Operation,
    /// `None` for the master workbook.
    partner: Option<ParticipantId>,
    /// Participants whose per-reporter figures may appear (master: all).
    visible: BTreeSet<ParticipantId>,
    /// Corrections files that also correct a hidden reporter's return: not
    /// listed, as their hash covers that correction.
    unlisted_sources: BTreeSet<usize>,
    /// Lines of the corrections to the partner's own returns.
    own_places: BTreeSet<Place>,
    /// Lines of the corrections the pack must not show.
    hidden_places: BTreeSet<Place>,
}

impl<'a> Scope<'a> {
    pub fn master(op: &'a Operation) -> Scope<'a> {
        Scope {
            op,
            partner: None,
            visible: (0..op.participants.len()).map(ParticipantId).collect(),
            unlisted_sources: BTreeSet::new(),
            own_places: BTreeSet::new(),
            hidden_places: BTreeSet::new(),
        }
    }

    /// Built per pack from the operation's return index: nothing here walks
    /// every return, so packs × returns never multiply.
    pub fn pack(op: &'a Operation, partner: ParticipantId) -> Scope<'a> {
        let visible: BTreeSet<ParticipantId> = std::iter::once(partner)
            .chain(op.release.shared_reporters.iter().copied())
            .collect();
        let (mut unlisted_sources, mut own_places, mut hidden_places) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for correction in &op.corrections {
            let places = [
                place(&correction.location),
                place(&correction.from_location),
            ];
            match correction.reporter {
                Reporter::Participant(id) if !visible.contains(&id) => {
                    unlisted_sources.insert(correction.location.source);
                    hidden_places.extend(places);
                }
                Reporter::Participant(id) if id == partner => own_places.extend(places),
                _ => {}
            }
        }
        Scope {
            op,
            partner: Some(partner),
            visible,
            unlisted_sources,
            own_places,
            hidden_places,
        }
    }

    /// The returns whose rows belong in this workbook, in file order.
    /// Packs leave out the consolidated returns: their figures are the
    /// Summary already.
    pub fn returns(&self) -> Vec<&'a Return> {
        let op = self.op;
        self.return_indices()
            .into_iter()
            .map(|at| &op.returns[at])
            .collect()
    }

    /// The same returns as indices into `Operation::returns` (and
    /// `Totals::returns`).
    pub fn return_indices(&self) -> Vec<usize> {
        let op = self.op;
        if self.partner.is_none() {
            return (0..op.returns.len()).collect();
        }
        let mut shown: Vec<usize> = self
            .visible
            .iter()
            .flat_map(|&id| op.returns_index.of(id))
            .copied()
            .collect();
        shown.sort_unstable();
        shown
    }

    /// Indices of the input files this workbook may list, in order (see
    /// `shows_source`). A pack gathers its own instead of asking about each
    /// of 50 000 files.
    pub fn sources(&self) -> Vec<usize> {
        let op = self.op;
        if self.partner.is_none() {
            return (0..op.sources.len()).collect();
        }
        let mut shown: Vec<usize> = op
            .returns_index
            .unowned_sources()
            .iter()
            .copied()
            .filter(|source| !self.unlisted_sources.contains(source))
            .chain(self.returns().iter().map(|r| r.source))
            .collect();
        shown.sort_unstable();
        shown.dedup();
        shown
    }

    /// Whether the file holds a return of a reporter this pack hides.
    fn hidden_source(&self, source: usize) -> bool {
        self.op
            .returns_index
            .reporter_of_source(source)
            .is_some_and(|id| !self.visible.contains(&id))
    }

    pub fn partner(&self) -> Option<ParticipantId> {
        self.partner
    }

    pub fn shows_reporter(&self, id: ParticipantId) -> bool {
        self.visible.contains(&id)
    }

    /// Whether a participant may be named in the participant lists: a pack
    /// names no reporter whose returns it hides (who reported is itself
    /// something the release policy keeps between the coordination and
    /// that reporter); participants without returns are the public list.
    pub fn names_participant(&self, id: ParticipantId) -> bool {
        self.visible.contains(&id) || !self.op.returns_index.has_returns(id)
    }

    /// Whether an input file may be listed (path and hash). A pack does not
    /// list other reporters' return files: their names say who reported.
    /// A corrections file that also corrects a hidden reporter is not
    /// listed either: its hash covers that correction.
    pub fn shows_source(&self, source: usize) -> bool {
        !self.hidden_source(source) && !self.unlisted_sources.contains(&source)
    }

    /// Whether a file named by its path relative to the operation folder
    /// (as in `changes.json`) may be named. A pack names only current input
    /// files it lists and whose name names no hidden participant; a file
    /// that is gone (deleted since the last revision) cannot be judged.
    pub fn shows_path(&self, relative: &str) -> bool {
        if self.partner.is_none() {
            return true;
        }
        !self.mentions_hidden(relative)
            && self.op.sources.iter().enumerate().any(|(index, file)| {
                &*file.relative == relative && self.shows_source(index) && self.names_file(index)
            })
    }

    /// Whether this workbook may print the file's name. A pack names its
    /// partner's (and shared reporters') returns and the operation's
    /// configuration (operation.toml, templates); a consolidated return or
    /// a corrections file is named as the coordination chose
    /// ("corrections/italy-late-figures.toml"), so a pack describes it
    /// instead: the decision is by owner, not by reading the name.
    pub fn names_file(&self, source: usize) -> bool {
        if self.partner.is_none() {
            return true;
        }
        match self.op.returns_index.reporter_of_source(source) {
            Some(id) => self.visible.contains(&id),
            None => self.op.sources.get(source).is_some_and(|file| {
                !file.relative.starts_with("returns/") && !file.relative.starts_with("corrections/")
            }),
        }
    }

    /// The file's name, or what it is when this workbook may not name it.
    pub fn file_label(&self, source: usize) -> String {
        let Some(file) = self.op.sources.get(source) else {
            return String::new();
        };
        if self.names_file(source) {
            file.relative.to_string()
        } else if file.relative.starts_with("corrections/") {
            "a corrections file".into()
        } else {
            "the consolidated figures".into()
        }
    }

    /// "returns/austria.toml:12", or the file's description alone.
    pub fn place(&self, location: &crate::source::Location) -> String {
        if self.names_file(location.source) {
            format!("{}:{}", location.file, location.line)
        } else {
            self.file_label(location.source)
        }
    }

    /// A correction's id as this workbook may show it: the default id
    /// (`<file>#<n>`) carries the file's name.
    pub fn correction_id(&self, correction: &Correction) -> String {
        let source = correction.location.source;
        match correction.id.strip_prefix(&*correction.location.file) {
            Some(position) if !self.names_file(source) => {
                format!("{}{position}", self.file_label(source))
            }
            _ => correction.id.clone(),
        }
    }

    /// Whether a correction belongs in this workbook: the master lists all;
    /// a pack lists those to returns it shows and to the consolidated
    /// figures (they change the totals the pack shows; the values are
    /// operation totals, not another partner's figures).
    pub fn shows_correction(&self, correction: &Correction) -> bool {
        match (correction.reporter, self.partner) {
            (_, None) | (Reporter::Coordination, Some(_)) => true,
            (Reporter::Participant(id), Some(_)) => self.visible.contains(&id),
        }
    }

    /// Whether a correction's `requested_by` may be shown. In a pack it must
    /// name someone the pack may name — the partner, a shared reporter, the
    /// coordination — and no hidden participant. Anything else ("Italian
    /// police", a person's name) is withheld: a substring test cannot tell
    /// whose it is, and a miss would leak.
    pub fn shows_requester(&self, requested_by: &str) -> bool {
        if self.partner.is_none() {
            return true;
        }
        if self.mentions_hidden(requested_by) {
            return false;
        }
        let text = requested_by.to_lowercase();
        let op = self.op;
        self.visible
            .iter()
            .map(|&id| op.participant(id).name.as_str())
            .chain(["coordination"])
            .chain(op.coordinator.as_deref())
            .chain(op.coordination_centre.as_deref())
            .map(|name| name.trim().to_lowercase())
            .any(|name| !name.is_empty() && text.contains(&name))
    }

    /// Whether a correction's reason may be shown: only with its requester
    /// (a reason for a withheld requester tends to describe them) and when
    /// it names no hidden participant.
    pub fn shows_reason(&self, correction: &Correction) -> bool {
        self.shows_requester(&correction.requested_by) && !self.mentions_hidden(&correction.reason)
    }

    /// Whether `text` names a participant whose figures this workbook must
    /// not show. Case-insensitive substring: a false alarm only hides
    /// something, a miss would leak.
    pub fn mentions_hidden(&self, text: &str) -> bool {
        if self.partner.is_none() {
            return false;
        }
        let text = text.to_lowercase();
        self.op
            .participants
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.visible.contains(&ParticipantId(*i)))
            .any(|(_, p)| text.contains(&p.name.to_lowercase()))
    }

    /// The master shows every finding. A pack shows a finding only when it
    /// is about the partner (one of its places is in the partner's returns
    /// or at the partner's entry in the participant list) and it cites no
    /// other hidden reporter — neither a place in their returns nor their
    /// name. A finding that mixes reporters (e.g. consolidated figure vs the
    /// sum of all returns) is therefore left out of every pack.
    pub fn shows_finding(&self, finding: &Finding) -> bool {
        let Some(partner) = self.partner else {
            return true;
        };
        if self.operation_level(finding) {
            return true;
        }
        let listing = &self.op.participant(partner).location;
        let about = finding.locations.iter().any(|l| {
            self.op.returns_index.reporter_of_source(l.source) == Some(partner)
                || self.own_places.contains(&place(l))
                || l == listing
        });
        let cites_hidden = finding
            .locations
            .iter()
            .any(|l| self.hidden_source(l.source) || self.hidden_places.contains(&place(l)));
        let names_hidden = finding
            .participants(self.op)
            .iter()
            .any(|id| !self.visible.contains(id));
        about && !cites_hidden && !names_hidden
    }

    /// Whether a finding is about the operation totals every workbook
    /// shows rather than about any reporter's returns: the consolidated
    /// figure against the sum of the returns, a declared rule on published
    /// figures, a breakdown of the coordination's own figures. The pack's
    /// Summary shows the difference such a finding explains, so its Checks
    /// sheet shows the finding too (its places narrowed by
    /// [`Scope::shows_location`]). Nothing names a participant.
    pub fn operation_level(&self, finding: &Finding) -> bool {
        let about_totals = match finding.subject {
            Subject::Consolidated { .. } => true,
            // A rule's id and note are free text: they may name someone.
            Subject::Rule { rule, .. } => self.op.rules.get(rule).is_some_and(|r| {
                !self.mentions_hidden(&r.id)
                    && !r
                        .message
                        .as_deref()
                        .is_some_and(|note| self.mentions_hidden(note))
            }),
            Subject::Breakdown { ret, .. } => self
                .op
                .returns
                .get(ret)
                .is_some_and(|r| r.reporter == Reporter::Coordination),
            _ => false,
        };
        about_totals && finding.participants(self.op).is_empty()
    }

    /// Whether a place in an input file may be cited: not in a hidden
    /// reporter's file, not at a correction the pack does not list.
    pub fn shows_location(&self, location: &crate::source::Location) -> bool {
        self.partner.is_none()
            || (!self.hidden_source(location.source)
                && !self.unlisted_sources.contains(&location.source)
                && !self.hidden_places.contains(&place(location)))
    }

    /// A finding known only by its record (one resolved since the last
    /// revision: its places are gone). A pack shows it only when the
    /// record names the partner and every participant it names may be
    /// shown — the findings a pack shows are about the partner's own returns.
    pub fn shows_finding_record(&self, record: &FindingRecord) -> bool {
        let Some(partner) = self.partner else {
            return true;
        };
        let visible_name = |name: &String| {
            self.visible
                .iter()
                .any(|&id| &self.op.participant(id).name == name)
        };
        record
            .participants
            .contains(&self.op.participant(partner).name)
            && record.participants.iter().all(visible_name)
    }
}
