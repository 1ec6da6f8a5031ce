//! What a browser keeps about each shared document beside the record itself: the document's
//! revision tree, the hash of the body its winning revision has here, and whether a revision made
//! here has still to reach the server.
//!
//! A local change becomes a revision when the store next prepares a push ([`Replica::local_edit`]):
//! edits made in between are one revision, as CouchDB allows (revisions are states, not
//! keystrokes), and an edit that ends where it started makes none.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::rev::{Rev, canonical};
use super::tree::RevTree;

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
}

impl Replica {
    /// The state of a document never shared.
    pub fn new(id: impl Into<String>) -> Replica {
        Replica {
            id: id.into(),
            tree: RevTree::default(),
            synced: None,
            unpushed: false,
        }
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
}
