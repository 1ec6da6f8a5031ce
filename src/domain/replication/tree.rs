//! A document's revision tree, as CouchDB keeps it: every revision known, each with its parent;
//! the leaves are the document's open branches, and one of them wins by CouchDB's rule.
//!
//! The rule (CouchDB's `couch_doc` / PouchDB's `winningRev`): among the leaves that are not
//! deletions, the greatest revision (generation, then hash as text); when every leaf is a
//! deletion, the greatest of those. The other live leaves are the document's conflicts. Every
//! replica applies the same rule to the same tree, so all agree on the winner without talking.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rev::Rev;

/// What the tree knows of one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Its parent, when known (a history cut short by another replica can miss it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Rev>,
    /// Whether the revision deletes the document.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// A revision history as CouchDB sends it with a document (`_revisions`): the newest revision's
/// generation and the hashes from the newest back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    /// The generation of the first hash in `ids`.
    pub start: u64,
    /// Hashes, newest first, each the parent of the one before.
    pub ids: Vec<String>,
}

/// Why a history cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeError {
    /// `_revisions` is empty, or longer than its start generation allows.
    BadHistory,
    /// The history does not end in the revision it came with.
    WrongLeaf,
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TreeError::BadHistory => {
                "its revision history (_revisions) is empty or goes back past the first generation"
            }
            TreeError::WrongLeaf => "its revision history does not end in its own revision (_rev)",
        })
    }
}

impl std::error::Error for TreeError {}

impl Revisions {
    /// The revisions of the history, newest first.
    pub fn revs(&self) -> Result<Vec<Rev>, TreeError> {
        if self.ids.is_empty() || self.ids.len() as u64 > self.start {
            return Err(TreeError::BadHistory);
        }
        self.ids
            .iter()
            .enumerate()
            .map(|(i, hash)| {
                format!("{}-{hash}", self.start - i as u64)
                    .parse()
                    .map_err(|_| TreeError::BadHistory)
            })
            .collect()
    }
}

/// Every known revision of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevTree {
    nodes: BTreeMap<Rev, Node>,
}

impl RevTree {
    /// Whether the tree holds `rev`.
    pub fn contains(&self, rev: &Rev) -> bool {
        self.nodes.contains_key(rev)
    }

    /// Whether no revision is known (a document never written here).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Adds a local edit: `rev` after `parent`; whether it was new.
    pub fn add(&mut self, rev: Rev, parent: Option<Rev>, deleted: bool) -> bool {
        if self.nodes.contains_key(&rev) {
            return false;
        }
        self.nodes.insert(rev, Node { parent, deleted });
        true
    }

    /// Merges a replicated revision `rev` with its history (`_revisions`, newest first); whether
    /// `rev` was new. Revisions already known keep what the tree knew; a parent the history
    /// gives where the tree had none is filled in.
    pub fn merge(
        &mut self,
        rev: &Rev,
        history: &Revisions,
        deleted: bool,
    ) -> Result<bool, TreeError> {
        let revs = history.revs()?;
        if revs.first() != Some(rev) {
            return Err(TreeError::WrongLeaf);
        }
        let new = !self.nodes.contains_key(rev);
        for (i, r) in revs.iter().enumerate() {
            let parent = revs.get(i + 1).cloned();
            let node = self.nodes.entry(r.clone()).or_insert(Node {
                parent: None,
                deleted: i == 0 && deleted,
            });
            if node.parent.is_none() {
                node.parent = parent;
            }
        }
        Ok(new)
    }

    /// The open branches' revisions, greatest first.
    pub fn leaves(&self) -> Vec<&Rev> {
        let parents: std::collections::BTreeSet<&Rev> = self
            .nodes
            .values()
            .filter_map(|n| n.parent.as_ref())
            .collect();
        let mut leaves: Vec<&Rev> = self.nodes.keys().filter(|r| !parents.contains(r)).collect();
        leaves.reverse();
        leaves
    }

    /// Whether `rev` deletes the document.
    pub fn is_deleted(&self, rev: &Rev) -> bool {
        self.nodes.get(rev).is_some_and(|n| n.deleted)
    }

    /// The winning revision by CouchDB's rule; `None` for an empty tree.
    pub fn winner(&self) -> Option<&Rev> {
        let leaves = self.leaves();
        leaves
            .iter()
            .find(|r| !self.is_deleted(r))
            .or_else(|| leaves.first())
            .copied()
    }

    /// Whether the document is deleted: its winner is a deletion.
    pub fn deleted(&self) -> bool {
        self.winner().is_some_and(|w| self.is_deleted(w))
    }

    /// The live leaves that lost: the document's conflicts (`_conflicts`), greatest first.
    pub fn conflicts(&self) -> Vec<&Rev> {
        let winner = self.winner();
        self.leaves()
            .into_iter()
            .filter(|r| Some(*r) != winner && !self.is_deleted(r))
            .collect()
    }

    /// The history of `rev`, newest first, as far back as the tree knows (`_revisions`).
    pub fn history(&self, rev: &Rev) -> Option<Revisions> {
        let mut ids = Vec::new();
        let mut at = Some(rev);
        let mut expected = rev.generation;
        while let Some(r) = at {
            // A gap in generations ends what can be said as one `_revisions` list.
            if r.generation != expected {
                break;
            }
            let node = self.nodes.get(r)?;
            ids.push(r.hash.clone());
            expected = expected.saturating_sub(1);
            at = node.parent.as_ref();
        }
        Some(Revisions {
            start: rev.generation,
            ids,
        })
    }

    /// Of `revs`, those the tree does not hold (`_revs_diff`'s `missing`).
    pub fn missing<'r>(&self, revs: &'r [Rev]) -> Vec<&'r Rev> {
        revs.iter().filter(|r| !self.contains(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rev {
        s.parse().unwrap()
    }

    fn history(start: u64, ids: &[&str]) -> Revisions {
        Revisions {
            start,
            ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// One line: 1-a, 2-b, 3-c.
    fn line() -> RevTree {
        let mut t = RevTree::default();
        t.add(r("1-a"), None, false);
        t.add(r("2-b"), Some(r("1-a")), false);
        t.add(r("3-c"), Some(r("2-b")), false);
        t
    }

    #[test]
    fn a_single_branch_has_one_leaf_which_wins() {
        let t = line();
        assert_eq!(t.leaves(), vec![&r("3-c")]);
        assert_eq!(t.winner(), Some(&r("3-c")));
        assert!(t.conflicts().is_empty());
        assert_eq!(t.history(&r("3-c")), Some(history(3, &["c", "b", "a"])));
    }

    #[test]
    fn two_edits_of_one_revision_conflict_and_the_greater_wins() {
        // CouchDB's documented case: the same generation, so the hash decides.
        let mut t = line();
        t.merge(&r("4-x"), &history(4, &["x", "c", "b", "a"]), false)
            .unwrap();
        t.merge(&r("4-y"), &history(4, &["y", "c"]), false).unwrap();
        assert_eq!(t.winner(), Some(&r("4-y")));
        assert_eq!(t.conflicts(), vec![&r("4-x")]);
        // A longer branch wins whatever its hash.
        t.merge(&r("5-a"), &history(5, &["a", "x"]), false).unwrap();
        assert_eq!(t.winner(), Some(&r("5-a")));
        assert_eq!(t.conflicts(), vec![&r("4-y")]);
    }

    #[test]
    fn a_live_leaf_beats_a_later_deletion() {
        let mut t = line();
        t.merge(&r("4-x"), &history(4, &["x", "c"]), false).unwrap();
        t.merge(&r("5-d"), &history(5, &["d", "y", "c"]), true)
            .unwrap();
        assert!(t.is_deleted(&r("5-d")));
        assert_eq!(t.winner(), Some(&r("4-x")), "deleted leaves lose");
        assert!(!t.deleted());
        assert!(t.conflicts().is_empty(), "a deleted leaf is no conflict");
        // Once the live branch is deleted too, the greatest deletion wins.
        t.add(r("5-e"), Some(r("4-x")), true);
        assert_eq!(t.winner(), Some(&r("5-e")));
        assert!(t.deleted());
    }

    #[test]
    fn merging_what_is_known_changes_nothing() {
        let mut t = line();
        let before = t.clone();
        assert!(
            !t.merge(&r("3-c"), &history(3, &["c", "b", "a"]), false)
                .unwrap()
        );
        assert!(!t.merge(&r("2-b"), &history(2, &["b"]), false).unwrap());
        assert_eq!(t, before);
    }

    #[test]
    fn a_short_history_is_joined_to_the_tree_when_it_reaches_it() {
        let mut t = line();
        // The replica knew only 3-c's hash as the parent.
        assert!(t.merge(&r("4-d"), &history(4, &["d", "c"]), false).unwrap());
        assert_eq!(t.leaves(), vec![&r("4-d")]);
        assert_eq!(
            t.history(&r("4-d")),
            Some(history(4, &["d", "c", "b", "a"]))
        );
    }

    #[test]
    fn bad_histories_are_refused() {
        let mut t = line();
        let before = t.clone();
        assert_eq!(
            t.merge(&r("4-d"), &history(4, &[]), false),
            Err(TreeError::BadHistory)
        );
        assert_eq!(
            t.merge(&r("2-d"), &history(2, &["d", "c", "b"]), false),
            Err(TreeError::BadHistory),
            "three revisions cannot end at generation 2"
        );
        assert_eq!(
            t.merge(&r("4-d"), &history(4, &["e", "c"]), false),
            Err(TreeError::WrongLeaf)
        );
        assert_eq!(t, before, "a refused history leaves the tree as it was");
    }

    #[test]
    fn revs_diff_names_what_the_tree_lacks() {
        let t = line();
        let asked = [r("2-b"), r("4-z"), r("3-c"), r("3-q")];
        assert_eq!(t.missing(&asked), vec![&r("4-z"), &r("3-q")]);
    }
}
