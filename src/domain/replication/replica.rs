//! What a browser keeps about each shared document beside the record itself: the document's
//! revision tree, the hash of the body its winning revision has here, and whether a revision made
//! here has still to reach the server.
//!
//! A local change becomes a revision when the store next prepares a push ([`Replica::local_edit`]):
//! edits made in between are one revision, as CouchDB allows (revisions are states, not
//! keystrokes), and an edit that ends where it started makes none.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::rev::{Rev, canonical};
use super::tree::{RevTree, Revisions, TreeError};

/// The SHA-256 of a body's canonical JSON, as lowercase hex: what "the same body" means.
pub fn body_hash(body: &Value) -> String {
    Sha256::digest(canonical(body).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One shared document's replication state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    /// The document id (`number:PN…`).
    pub id: String,
    /// Every revision known here.
    #[serde(default)]
    pub tree: RevTree,
    /// The hash ([`body_hash`]) of the winning revision's body as the record here has it;
    /// `None` before the record was ever shared, or once it is deleted.
    #[serde(default)]
    pub synced: Option<String>,
    /// Whether a revision made here has not been confirmed by the server yet.
    #[serde(default)]
    pub unpushed: bool,
    /// The bodies of the live leaves that lost (the conflicts), by revision: what the record
    /// page shows beside the winner until someone resolves it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub others: BTreeMap<String, Value>,
}

/// What a replicated revision did here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// The tree had it: nothing changes.
    Known,
    /// It is the new winner: the record becomes its body (or goes, for a deletion).
    Wins,
    /// It lost to the winner here: a conflict (kept in [`Replica::others`]), or an old
    /// branch's deletion.
    Loses,
}

impl Replica {
    /// The state of a document never shared.
    pub fn new(id: impl Into<String>) -> Replica {
        Replica {
            id: id.into(),
            tree: RevTree::default(),
            synced: None,
            unpushed: false,
            others: BTreeMap::new(),
        }
    }

    /// Takes in a replicated revision with its history, its deletion and its body; `here` is the
    /// record's body as it is here now (kept as a conflict when the incoming revision wins over
    /// a live leaf). A history that does not fit the revision changes nothing.
    pub fn receive(
        &mut self,
        rev: &Rev,
        history: &Revisions,
        deleted: bool,
        body: &Value,
        here: Option<&Value>,
    ) -> Result<Received, TreeError> {
        let before = self.tree.winner().cloned();
        if !self.tree.merge(rev, history, deleted)? {
            return Ok(Received::Known);
        }
        let outcome = if self.tree.winner() == Some(rev) {
            if let (Some(old), Some(here)) = (before, here) {
                self.others.insert(old.to_string(), here.clone());
            }
            self.synced = (!deleted).then(|| body_hash(body));
            Received::Wins
        } else {
            if !deleted {
                self.others.insert(rev.to_string(), body.clone());
            }
            Received::Loses
        };
        // Only live leaves that lost are conflicts: a body whose revision has since been built
        // upon, deleted, or become the winner is not one any more.
        let conflicts: Vec<String> = self
            .tree
            .conflicts()
            .iter()
            .map(|r| r.to_string())
            .collect();
        self.others.retain(|r, _| conflicts.contains(r));
        Ok(outcome)
    }

    /// Records the record's state here as a revision after the current winner: `body`, or its
    /// deletion (`None`). The new revision, or `None` when nothing changed since the winner (the
    /// same body, or a deletion of what is already deleted or was never shared).
    pub fn local_edit(&mut self, body: Option<&Value>) -> Option<Rev> {
        let hash = body.map(body_hash);
        if hash == self.synced && (hash.is_some() || self.tree.is_empty() || self.tree.deleted()) {
            return None;
        }
        let parent = self.tree.winner().cloned();
        let deleted = body.is_none();
        let rev = Rev::next(parent.as_ref(), body.unwrap_or(&Value::Null), deleted);
        self.tree.add(rev.clone(), parent, deleted);
        self.synced = hash;
        self.unpushed = true;
        Some(rev)
    }
    /// Ends the document's conflicts: every live leaf but the winner gets a deletion after it,
    /// so all replicas see one branch again once the deletions replicate. The record's body is
    /// then whatever the user chose (`Replica::local_edit` makes it a revision after the winner
    /// when it differs). The deletions made, to push.
    pub fn resolve(&mut self) -> Vec<Rev> {
        let losers: Vec<Rev> = self.tree.conflicts().into_iter().cloned().collect();
        let mut made = Vec::with_capacity(losers.len());
        for leaf in losers {
            let end = Rev::next(Some(&leaf), &Value::Null, true);
            self.tree.add(end.clone(), Some(leaf), true);
            made.push(end);
        }
        if !made.is_empty() {
            self.unpushed = true;
        }
        self.others.clear();
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_edit_is_a_revision_after_the_winner_and_the_same_body_is_none() {
        let mut r = Replica::new("address:AD1");
        let first = r.local_edit(Some(&json!({"city": "Berlin"}))).unwrap();
        assert_eq!(first.generation, 1);
        assert!(r.unpushed);
        assert_eq!(
            r.local_edit(Some(&json!({"city": "Berlin"}))),
            None,
            "unchanged"
        );
        let second = r.local_edit(Some(&json!({"city": "Köln"}))).unwrap();
        assert_eq!(second.generation, 2);
        assert_eq!(r.tree.winner(), Some(&second));
        assert_eq!(
            r.tree.history(&second).map(|h| h.ids),
            Some(vec![second.hash.clone(), first.hash.clone()])
        );
    }

    #[test]
    fn a_deletion_is_a_revision_once() {
        let mut never_shared = Replica::new("number:PN1");
        assert_eq!(never_shared.local_edit(None), None, "nothing to delete");
        let mut r = Replica::new("number:PN2");
        r.local_edit(Some(&json!({"e164": "+49301234567"})));
        let gone = r.local_edit(None).unwrap();
        assert!(r.tree.is_deleted(&gone));
        assert!(r.tree.deleted());
        assert_eq!(r.synced, None);
        assert_eq!(r.local_edit(None), None, "deleted once");
    }

    #[test]
    fn two_machines_editing_one_revision_apart_conflict_and_the_same_edit_does_not() {
        let mut a = Replica::new("address:AD1");
        a.local_edit(Some(&json!({"city": "Berlin"})));
        let mut b = a.clone();
        let same_a = a.local_edit(Some(&json!({"city": "Köln"}))).unwrap();
        let same_b = b.local_edit(Some(&json!({"city": "Köln"}))).unwrap();
        assert_eq!(same_a, same_b, "the same change is the same revision");
        let other = b.local_edit(Some(&json!({"city": "Bonn"}))).unwrap();
        let mut c = a.clone();
        let from_a = c.local_edit(Some(&json!({"city": "Hamburg"}))).unwrap();
        // B's history reaches C: two leaves on generation 3.
        let history = b.tree.history(&other).unwrap();
        c.tree.merge(&other, &history, false).unwrap();
        assert_eq!(c.tree.leaves().len(), 2);
        let winner = c.tree.winner().unwrap().clone();
        assert!(winner == from_a || winner == other);
        assert_eq!(c.tree.conflicts().len(), 1);
    }

    #[test]
    fn a_revision_from_elsewhere_wins_or_is_kept_as_a_conflict() {
        let here_body = json!({"city": "Köln"});
        let mut a = Replica::new("address:AD1");
        a.local_edit(Some(&json!({"city": "Berlin"})));
        let mut b = a.clone();
        let ours = a.local_edit(Some(&here_body)).unwrap();
        let theirs_body = json!({"city": "Bonn"});
        let theirs = b.local_edit(Some(&theirs_body)).unwrap();
        let history = b.tree.history(&theirs).unwrap();
        let got = a
            .receive(&theirs, &history, false, &theirs_body, Some(&here_body))
            .unwrap();
        // One of the two generation-2 leaves wins by hash; the other's body is kept.
        let (winner_body, loser) = if theirs > ours {
            assert_eq!(got, Received::Wins);
            (&theirs_body, &ours)
        } else {
            assert_eq!(got, Received::Loses);
            (&here_body, &theirs)
        };
        assert_eq!(a.synced, Some(body_hash(winner_body)));
        assert_eq!(
            a.others.keys().collect::<Vec<_>>(),
            vec![&loser.to_string()]
        );
        assert_eq!(a.tree.conflicts(), vec![loser]);
        // The same revision again changes nothing.
        assert_eq!(
            a.receive(&theirs, &history, false, &theirs_body, None),
            Ok(Received::Known)
        );
    }

    #[test]
    fn resolving_deletes_every_losing_branch_and_both_sides_agree_after() {
        let mut a = Replica::new("address:AD1");
        a.local_edit(Some(&json!({"city": "Berlin"})));
        let mut b = a.clone();
        let ours_body = json!({"city": "Köln"});
        let ours = a.local_edit(Some(&ours_body)).unwrap();
        let theirs_body = json!({"city": "Bonn"});
        let theirs = b.local_edit(Some(&theirs_body)).unwrap();
        let history = b.tree.history(&theirs).unwrap();
        a.receive(&theirs, &history, false, &theirs_body, Some(&ours_body))
            .unwrap();
        let winner = a.tree.winner().unwrap().clone();
        let ends = a.resolve();
        assert_eq!(ends.len(), 1);
        assert!(a.tree.conflicts().is_empty(), "one branch again");
        assert!(a.others.is_empty());
        assert_eq!(a.tree.winner(), Some(&winner), "the winner stays");
        // Fields taken from each make an edit after the winner.
        let kept = a
            .local_edit(Some(&json!({"city": "Bonn", "zip": "50667"})))
            .unwrap();
        assert_eq!(kept.generation, 3);
        // B receives the deletion of the losing leaf and the new revision: same tree, same winner.
        for end in &ends {
            let h = a.tree.history(end).unwrap();
            b.tree.merge(end, &h, true).unwrap();
        }
        let h = a.tree.history(&kept).unwrap();
        b.tree
            .merge(&ours, &a.tree.history(&ours).unwrap(), false)
            .unwrap();
        b.tree.merge(&kept, &h, false).unwrap();
        assert_eq!(b.tree.winner(), Some(&kept));
        assert!(b.tree.conflicts().is_empty());
        assert_eq!(a.resolve(), Vec::<Rev>::new(), "nothing left to resolve");
    }

    #[test]
    fn a_revision_built_on_ours_simply_wins() {
        let mut a = Replica::new("number:PN1");
        a.local_edit(Some(&json!({"label": "x"})));
        let mut b = a.clone();
        let body = json!({"label": "y"});
        let next = b.local_edit(Some(&body)).unwrap();
        let got = a
            .receive(
                &next,
                &b.tree.history(&next).unwrap(),
                false,
                &body,
                Some(&json!({"label": "x"})),
            )
            .unwrap();
        assert_eq!(got, Received::Wins);
        assert!(
            a.others.is_empty(),
            "the old winner is an ancestor, no conflict"
        );
        assert_eq!(a.synced, Some(body_hash(&body)));
    }
}
