//! Revision ids as CouchDB writes them (`3-1f0c…`): a generation, one more than the parent's, and
//! a hash chosen by whoever made the revision.
//!
//! regdesk's hashes are deterministic: the SHA-256 of the parent revision and the canonical JSON
//! of the body ([`canonical`]: keys sorted at every level), cut to 32 hex digits. So two
//! machines that make the same change to the same revision make the same revision, and
//! replication sees one, not a conflict; what the review decides once per document relies on it.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// One revision of a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rev {
    /// 1 for a document's first revision, one more for each edit.
    pub generation: u64,
    /// The revision's hash, opaque text (CouchDB's are 32 hex digits; another client's may be
    /// anything but `-`-free).
    pub hash: String,
}

/// Why a text is not a revision id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevError(pub String);

impl fmt::Display for RevError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\u{201c}{}\u{201d} is not a revision id (a generation, `-`, a hash)",
            self.0
        )
    }
}

impl std::error::Error for RevError {}

impl Rev {
    /// The revision a change with `body` (and `deleted`) makes after `parent` (`None`: the
    /// document's first revision).
    pub fn next(parent: Option<&Rev>, body: &serde_json::Value, deleted: bool) -> Rev {
        let mut hasher = Sha256::new();
        if let Some(p) = parent {
            hasher.update(p.to_string().as_bytes());
        }
        hasher.update([0, u8::from(deleted)]);
        hasher.update(canonical(body).as_bytes());
        let digest = hasher.finalize();
        let hash: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        Rev {
            generation: parent.map_or(1, |p| p.generation + 1),
            hash,
        }
    }
}

/// `value` as JSON text with every object's keys in sorted order, whatever order the map keeps
/// them in (serde_json keeps insertion order when some dependency turns on `preserve_order`).
pub fn canonical(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::from(k.as_str()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.generation, self.hash)
    }
}

impl FromStr for Rev {
    type Err = RevError;

    fn from_str(s: &str) -> Result<Rev, RevError> {
        let bad = || RevError(s.to_string());
        let (generation, hash) = s.split_once('-').ok_or_else(bad)?;
        let generation: u64 = generation.parse().map_err(|_| bad())?;
        if generation == 0 || hash.is_empty() || hash.contains('-') {
            return Err(bad());
        }
        Ok(Rev {
            generation,
            hash: hash.to_string(),
        })
    }
}

/// CouchDB's order of revisions: by generation, then by hash as text. The winner among a
/// document's live leaves is the greatest.
impl Ord for Rev {
    fn cmp(&self, other: &Rev) -> Ordering {
        self.generation
            .cmp(&other.generation)
            .then_with(|| self.hash.cmp(&other.hash))
    }
}

impl PartialOrd for Rev {
    fn partial_cmp(&self, other: &Rev) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Rev {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rev {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rev, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_read_and_write_as_couchdb_writes_them() {
        let rev: Rev = "3-917fa2381192822767f010b95b45325b".parse().unwrap();
        assert_eq!(rev.generation, 3);
        assert_eq!(rev.to_string(), "3-917fa2381192822767f010b95b45325b");
        for bad in ["", "3", "-abc", "0-abc", "x-abc", "3-", "3-a-b"] {
            assert!(bad.parse::<Rev>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn revisions_order_by_generation_then_hash() {
        let r = |s: &str| s.parse::<Rev>().unwrap();
        assert!(r("2-a") > r("1-z"));
        assert!(r("2-b") > r("2-a"));
        assert!(r("10-a") > r("9-z"), "generations compare as numbers");
    }

    #[test]
    fn the_same_change_to_the_same_revision_is_the_same_revision() {
        let body = json!({"status": "passed", "reasons": []});
        let first = Rev::next(None, &body, false);
        assert_eq!(first.generation, 1);
        assert_eq!(first.hash.len(), 32);
        let again = Rev::next(None, &json!({"reasons": [], "status": "passed"}), false);
        assert_eq!(first, again, "key order does not matter");
        let second = Rev::next(Some(&first), &body, false);
        assert_eq!(second.generation, 2);
        assert_ne!(second.hash, first.hash, "the parent is part of the hash");
        assert_ne!(
            Rev::next(None, &json!({"status": "failed", "reasons": []}), false),
            first
        );
        assert_ne!(Rev::next(None, &body, true), first, "a deletion differs");
    }
}
