//! What one workbook may show: everything (the master) or, for a partner
//! pack, the operation totals plus the partner's own (and shared reporters')
//! figures, files and findings. Every sheet asks the scope; no sheet decides
//! the release policy on its own.

use crate::check::Finding;
use crate::model::{Operation, ParticipantId, Reporter};
use std::collections::BTreeSet;
use std::path::Path;

pub struct Scope<'a> {
    op: &'a Operation,
    /// `None` for the master workbook.
    partner: Option<ParticipantId>,
    /// Participants whose per-reporter figures may appear (master: all).
    visible: BTreeSet<ParticipantId>,
    /// Source files of returns from reporters that must not appear.
    hidden_sources: BTreeSet<usize>,
    /// Source files of the partner's own returns.
    own_sources: BTreeSet<usize>,
}

impl<'a> Scope<'a> {
    pub fn master(op: &'a Operation) -> Scope<'a> {
        Scope {
            op,
            partner: None,
            visible: (0..op.participants.len()).map(ParticipantId).collect(),
            hidden_sources: BTreeSet::new(),
            own_sources: BTreeSet::new(),
        }
    }

    pub fn pack(op: &'a Operation, partner: ParticipantId) -> Scope<'a> {
        let visible: BTreeSet<ParticipantId> = (0..op.participants.len())
            .map(ParticipantId)
            .filter(|&id| id == partner || op.is_shared(id))
            .collect();
        let sources_of = |keep: &dyn Fn(ParticipantId) -> bool| -> BTreeSet<usize> {
            op.returns
                .iter()
                .filter_map(|r| match r.reporter {
                    Reporter::Participant(id) if keep(id) => Some(r.source),
                    _ => None,
                })
                .collect()
        };
        let hidden_sources = sources_of(&|id| !visible.contains(&id));
        let own_sources = sources_of(&|id| id == partner);
        Scope {
            op,
            partner: Some(partner),
            visible,
            hidden_sources,
            own_sources,
        }
    }

    pub fn partner(&self) -> Option<ParticipantId> {
        self.partner
    }

    /// Whether a return's rows belong in this workbook. Packs leave out the
    /// consolidated returns: their figures are the Summary already.
    pub fn shows_return(&self, reporter: Reporter) -> bool {
        match (reporter, self.partner) {
            (Reporter::Coordination, partner) => partner.is_none(),
            (Reporter::Participant(id), _) => self.visible.contains(&id),
        }
    }

    pub fn shows_reporter(&self, id: ParticipantId) -> bool {
        self.visible.contains(&id)
    }

    /// Whether an input file may be listed (path and hash). A pack does not
    /// list other reporters' return files: their names say who reported.
    pub fn shows_source(&self, source: usize) -> bool {
        !self.hidden_sources.contains(&source)
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
        let listing = &self.op.participant(partner).location;
        let about = finding
            .locations
            .iter()
            .any(|l| self.own_sources.contains(&l.source) || l == listing);
        let cites_hidden = finding
            .locations
            .iter()
            .any(|l| self.hidden_sources.contains(&l.source));
        about && !cites_hidden && !self.mentions_hidden(&finding.message)
    }

    /// A file path as the user knows it: relative to the operation folder.
    pub fn display_path(&self, file: &str) -> String {
        Path::new(file)
            .strip_prefix(&self.op.dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| file.to_string())
    }
}
