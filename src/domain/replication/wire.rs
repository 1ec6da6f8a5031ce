//! The replication protocol's messages, as CouchDB's documentation writes them
//! (`docs/src/replication/protocol.rst`): what a pull reads from `_changes` and `_bulk_get`, what
//! a push sends to `_revs_diff` and `_bulk_docs`, and the checkpoint kept in `_local`. Pure, so
//! the engine's HTTP layer (`src/sync/`) only moves these values, and every shape is tested here
//! on the server's own examples.
//!
//! Sequences are opaque: CouchDB's are strings, the test peer's integers. They are kept as the
//! JSON the server sent and sent back unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::file::ATTACHMENT;
use super::rev::Rev;
use super::tree::Revisions;

/// A document's attachment, with its bytes (a scan file's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its MIME type as the sender gave it.
    pub content_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// One revision of a document as it travels: what a pull receives (`_bulk_get` with
/// `revs=true`) and what a push sends (`_bulk_docs` with `new_edits:false`).
#[derive(Debug, Clone, PartialEq)]
pub struct DocRevision {
    /// The document id.
    pub id: String,
    /// The revision.
    pub rev: Rev,
    /// Its history, newest first (`_revisions`).
    pub revisions: Revisions,
    /// Whether it deletes the document.
    pub deleted: bool,
    /// The document's own fields with `type`, no `_` fields (empty for a deletion).
    pub body: Value,
    /// Its attachment with the bytes, sent and received inline (a scan file's).
    pub attachment: Option<Attachment>,
}

/// A revision received from the server.
pub type Incoming = DocRevision;

/// A revision to send to the server.
pub type Outgoing = DocRevision;

/// A server answer that is not the protocol's shape: the sync stops and says so, rather than
/// guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server's answer is not CouchDB's: {}", self.0)
    }
}

impl std::error::Error for WireError {}

fn bad(what: impl Into<String>) -> WireError {
    WireError(what.into())
}

/// One line of `_changes?style=all_docs`: a document and its current leaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The document id.
    pub id: String,
    /// Its leaf revisions on the server.
    pub revs: Vec<Rev>,
}

/// A page of `_changes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// The documents changed, in sequence order.
    pub changes: Vec<Change>,
    /// The sequence to ask from next (opaque).
    pub last_seq: Value,
    /// How many changes the server has after this page, when it says (CouchDB does).
    pub pending: Option<u64>,
}

/// Reads an answer of `GET /db/_changes?style=all_docs`. Design documents (`_design/…`) are
/// left out: they are the server's, not the workspace's.
pub fn parse_changes(answer: &Value) -> Result<Changes, WireError> {
    let results = answer
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("_changes has no `results` list"))?;
    let last_seq = answer
        .get("last_seq")
        .cloned()
        .ok_or_else(|| bad("_changes has no `last_seq`"))?;
    let mut changes = Vec::with_capacity(results.len());
    for line in results {
        let id = line
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a change has no `id`"))?;
        if id.starts_with("_design/") {
            continue;
        }
        let revs = line
            .get("changes")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("the change of {id} has no `changes` list")))?
            .iter()
            .map(|c| {
                c.get("rev")
                    .and_then(Value::as_str)
                    .and_then(|r| r.parse().ok())
                    .ok_or_else(|| bad(format!("a revision of {id} is not a revision id")))
            })
            .collect::<Result<Vec<Rev>, _>>()?;
        changes.push(Change {
            id: id.to_string(),
            revs,
        });
    }
    Ok(Changes {
        changes,
        last_seq,
        pending: answer.get("pending").and_then(Value::as_u64),
    })
}

/// The body of `POST /db/_bulk_get?revs=true&latest=true` for these revisions.
pub fn bulk_get_body(wanted: &[(String, Rev)]) -> Value {
    let docs: Vec<Value> = wanted
        .iter()
        .map(|(id, rev)| json!({ "id": id, "rev": rev.to_string() }))
        .collect();
    json!({ "docs": docs })
}

/// What one `_bulk_get` answer holds: the revisions, and the ones the server could not give
/// (with its reason), which the next round asks again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    /// The revisions, each with its history and body.
    pub docs: Vec<Incoming>,
    /// `id rev: reason` of each the server did not send.
    pub refused: Vec<String>,
}

/// Reads an answer of `_bulk_get?revs=true`. A revision without its history (`_revisions`) is
/// taken as a history of itself alone, as CouchDB's replicator does.
pub fn parse_bulk_get(answer: &Value) -> Result<Fetched, WireError> {
    let results = answer
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("_bulk_get has no `results` list"))?;
    let mut fetched = Fetched::default();
    for result in results {
        let docs = result
            .get("docs")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("a _bulk_get result has no `docs` list"))?;
        for entry in docs {
            if let Some(doc) = entry.get("ok") {
                fetched.docs.push(incoming(doc)?);
            } else if let Some(error) = entry.get("error") {
                let field = |name: &str| error.get(name).and_then(Value::as_str).unwrap_or("?");
                fetched.refused.push(format!(
                    "{} {}: {}",
                    field("id"),
                    field("rev"),
                    field("reason")
                ));
            } else {
                return Err(bad("a _bulk_get entry is neither `ok` nor `error`"));
            }
        }
    }
    Ok(fetched)
}

/// One document as the server sends it, split into its revision and its own fields.
fn incoming(doc: &Value) -> Result<Incoming, WireError> {
    let object = doc
        .as_object()
        .ok_or_else(|| bad("a document is not a JSON object"))?;
    let id = object
        .get("_id")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("a document has no `_id`"))?
        .to_string();
    let rev: Rev = object
        .get("_rev")
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| bad(format!("{id} has no revision id (`_rev`)")))?;
    let revisions = match object.get("_revisions") {
        Some(history) => serde_json::from_value(history.clone())
            .map_err(|_| bad(format!("the history (`_revisions`) of {id} is not one")))?,
        None => Revisions {
            start: rev.generation,
            ids: vec![rev.hash.clone()],
        },
    };
    let deleted = object
        .get("_deleted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let body: Map<String, Value> = object
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // A scan file has one attachment; its bytes come inline, base64 (`attachments=true`).
    let attachment = match object
        .get("_attachments")
        .and_then(Value::as_object)
        .and_then(|a| a.values().next())
    {
        Some(a) => {
            let data = a
                .get("data")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format!("the attachment of {id} came without its bytes")))?;
            Some(Attachment {
                content_type: a
                    .get("content_type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                data: BASE64
                    .decode(data)
                    .map_err(|_| bad(format!("the attachment of {id} is not base64")))?,
            })
        }
        None => None,
    };
    Ok(Incoming {
        id,
        rev,
        revisions,
        deleted,
        body: Value::Object(body),
        attachment,
    })
}

/// The body of `POST /db/_revs_diff`: each document's revisions to send.
pub fn revs_diff_body(out: &[Outgoing]) -> Value {
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for o in out {
        by_id.entry(&o.id).or_default().push(o.rev.to_string());
    }
    json!(by_id)
}

/// Reads an answer of `_revs_diff`: the `(id, rev)` pairs the server lacks.
pub fn parse_revs_diff(answer: &Value) -> Result<BTreeSet<(String, String)>, WireError> {
    let object = answer
        .as_object()
        .ok_or_else(|| bad("_revs_diff did not answer a JSON object"))?;
    let mut missing = BTreeSet::new();
    for (id, entry) in object {
        let revs = entry
            .get("missing")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("_revs_diff has no `missing` list for {id}")))?;
        for rev in revs {
            let rev = rev
                .as_str()
                .ok_or_else(|| bad(format!("a missing revision of {id} is not text")))?;
            missing.insert((id.clone(), rev.to_string()));
        }
    }
    Ok(missing)
}

/// The body of `POST /db/_bulk_docs` that writes these revisions as they are (`new_edits:
/// false`: the server keeps the ids and histories made here instead of making its own).
pub fn bulk_docs_body(out: &[&Outgoing]) -> Value {
    let docs: Vec<Value> = out
        .iter()
        .map(|o| {
            let mut doc = match &o.body {
                Value::Object(fields) if !o.deleted => fields.clone(),
                _ => Map::new(),
            };
            doc.insert("_id".into(), json!(o.id));
            doc.insert("_rev".into(), json!(o.rev.to_string()));
            doc.insert("_revisions".into(), json!(o.revisions));
            if o.deleted {
                doc.insert("_deleted".into(), json!(true));
            }
            if let Some(a) = &o.attachment {
                doc.insert(
                    "_attachments".into(),
                    json!({ ATTACHMENT: { "content_type": a.content_type, "data": BASE64.encode(&a.data) } }),
                );
            }
            Value::Object(doc)
        })
        .collect();
    json!({ "docs": docs, "new_edits": false })
}

/// Reads an answer of `_bulk_docs` with `new_edits: false`: the documents the server refused,
/// with its reason (CouchDB lists only those; an entry without `error` was written).
pub fn parse_bulk_docs(answer: &Value) -> Result<Vec<(String, String)>, WireError> {
    let entries = answer
        .as_array()
        .ok_or_else(|| bad("_bulk_docs did not answer a list"))?;
    Ok(entries
        .iter()
        .filter_map(|e| {
            let error = e.get("error")?.as_str()?;
            let id = e.get("id").and_then(Value::as_str).unwrap_or("?");
            let reason = e.get("reason").and_then(Value::as_str).unwrap_or(error);
            Some((id.to_string(), reason.to_string()))
        })
        .collect())
}

/// The id of the replication from `database` on `server` into this workspace: the name of its
/// checkpoint (`_local/<id>` on the server, the same in the workspace). Another workspace, server
/// or database is another replication and starts from the beginning.
pub fn replication_id(workspace: &str, server: &str, database: &str) -> String {
    let digest = Sha256::digest(format!("regdesk pull\n{workspace}\n{server}\n{database}"));
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A pull checkpoint: the last server sequence whose changes are all written here. Kept on both
/// sides, as CouchDB's replicator does: the workspace's is written in the transaction that
/// applies the changes; the server's `_local` copy lets it know a replication it has seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// The sequence (opaque).
    pub seq: Value,
}

impl Checkpoint {
    /// The sequence to resume from, given the workspace's and the server's copies: the
    /// workspace's when both agree; from the beginning when they disagree (a server restored
    /// from a backup, a workspace cleared) — safe, since a revision already here is skipped.
    pub fn resume(here: Option<&Checkpoint>, there: Option<&Value>) -> Value {
        match (here, there.and_then(|t| t.get("last_seq"))) {
            (Some(h), Some(t)) if &h.seq == t => h.seq.clone(),
            _ => json!(0),
        }
    }

    /// The `_local` document that records it on the server (`_rev` is the one read, so the
    /// write replaces it).
    pub fn server_doc(&self, rev: Option<&str>) -> Value {
        let mut doc = json!({ "last_seq": self.seq, "replicator": "regdesk" });
        if let Some(rev) = rev {
            doc["_rev"] = json!(rev);
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(s: &str) -> Rev {
        s.parse().unwrap()
    }

    #[test]
    fn changes_are_read_with_every_leaf_and_an_opaque_sequence() {
        // CouchDB 3's shape: string sequences, `pending`.
        let answer = json!({
            "results": [
                {"seq": "1-g1AAAA", "id": "entity:IT1", "changes": [{"rev": "1-abc"}]},
                {"seq": "2-g1AAAB", "id": "_design/rules", "changes": [{"rev": "1-d"}]},
                {"seq": "3-g1AAAC", "id": "number:PN1", "changes": [{"rev": "2-b"}, {"rev": "2-c"}], "deleted": true}
            ],
            "last_seq": "3-g1AAAC",
            "pending": 7
        });
        let page = parse_changes(&answer).unwrap();
        assert_eq!(page.changes.len(), 2, "design documents are the server's");
        assert_eq!(page.changes[1].revs, vec![rev("2-b"), rev("2-c")]);
        assert_eq!(page.last_seq, json!("3-g1AAAC"));
        assert_eq!(page.pending, Some(7));
        // The test peer's integers are kept as they are.
        let peer = parse_changes(&json!({"results": [], "last_seq": 12})).unwrap();
        assert_eq!(peer.last_seq, json!(12));
        assert_eq!(peer.pending, None);
    }

    #[test]
    fn a_changes_answer_of_another_shape_is_an_error_that_says_what() {
        let e = parse_changes(&json!({"error": "unauthorized"})).unwrap_err();
        assert!(e.to_string().contains("`results`"), "{e}");
        let e = parse_changes(
            &json!({"results": [{"id": "a", "changes": [{"rev": "x"}]}], "last_seq": 1}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("revision id"), "{e}");
    }

    #[test]
    fn bulk_get_gives_revisions_with_history_and_own_fields_only() {
        let answer = json!({"results": [
            {"id": "address:AD1", "docs": [
                {"ok": {"_id": "address:AD1", "_rev": "2-bb", "_revisions": {"start": 2, "ids": ["bb", "aa"]},
                        "type": "address", "city": "Berlin"}},
                {"error": {"id": "address:AD1", "rev": "3-zz", "error": "not_found", "reason": "missing"}}
            ]},
            {"id": "number:PN1", "docs": [
                {"ok": {"_id": "number:PN1", "_rev": "4-dd", "_deleted": true}}
            ]}
        ]});
        let fetched = parse_bulk_get(&answer).unwrap();
        assert_eq!(fetched.docs.len(), 2);
        let address = &fetched.docs[0];
        assert_eq!(address.rev, rev("2-bb"));
        assert_eq!(address.revisions.ids, vec!["bb", "aa"]);
        assert_eq!(address.body, json!({"type": "address", "city": "Berlin"}));
        let deleted = &fetched.docs[1];
        assert!(deleted.deleted);
        assert_eq!(
            deleted.revisions,
            Revisions {
                start: 4,
                ids: vec!["dd".into()]
            }
        );
        assert_eq!(fetched.refused, vec!["address:AD1 3-zz: missing"]);
    }

    #[test]
    fn a_push_sends_what_the_server_lacks_as_it_is() {
        let out = Outgoing {
            id: "entity:IT1".into(),
            rev: rev("2-bb"),
            revisions: Revisions {
                start: 2,
                ids: vec!["bb".into(), "aa".into()],
            },
            deleted: false,
            body: json!({"type": "entity", "name": "Acme"}),
            attachment: None,
        };
        let gone = Outgoing {
            id: "address:AD1".into(),
            rev: rev("3-cc"),
            revisions: Revisions {
                start: 3,
                ids: vec!["cc".into()],
            },
            deleted: true,
            body: json!({}),
            attachment: None,
        };
        assert_eq!(
            revs_diff_body(&[out.clone(), gone.clone()]),
            json!({"address:AD1": ["3-cc"], "entity:IT1": ["2-bb"]})
        );
        let missing = parse_revs_diff(
            &json!({"entity:IT1": {"missing": ["2-bb"], "possible_ancestors": ["1-aa"]}}),
        )
        .unwrap();
        assert!(missing.contains(&("entity:IT1".to_string(), "2-bb".to_string())));
        assert_eq!(missing.len(), 1);
        let body = bulk_docs_body(&[&out, &gone]);
        assert_eq!(body["new_edits"], json!(false));
        assert_eq!(
            body["docs"][0],
            json!({
                "_id": "entity:IT1", "_rev": "2-bb", "_revisions": {"start": 2, "ids": ["bb", "aa"]},
                "type": "entity", "name": "Acme"
            })
        );
        assert_eq!(body["docs"][1]["_deleted"], json!(true));
        assert_eq!(
            parse_bulk_docs(&json!([{"id": "a", "error": "forbidden", "reason": "read-only"}, {"id": "b", "rev": "1-x"}])).unwrap(),
            vec![("a".to_string(), "read-only".to_string())]
        );
        assert_eq!(parse_bulk_docs(&json!([])).unwrap(), vec![]);
    }

    #[test]
    fn a_scan_goes_inline_and_comes_back_as_bytes() {
        let out = Outgoing {
            id: "file:ab".into(),
            rev: rev("1-aa"),
            revisions: Revisions {
                start: 1,
                ids: vec!["aa".into()],
            },
            deleted: false,
            body: json!({"type": "file", "length": 3}),
            attachment: Some(Attachment {
                content_type: "image/png".into(),
                data: vec![1, 2, 255],
            }),
        };
        let body = bulk_docs_body(&[&out]);
        assert_eq!(
            body["docs"][0]["_attachments"]["scan"]["data"],
            json!("AQL/")
        );
        let mut doc = body["docs"][0].clone();
        doc["_attachments"]["scan"]["digest"] = json!("md5-x");
        let fetched =
            parse_bulk_get(&json!({"results": [{"id": "file:ab", "docs": [{"ok": doc}]}]}))
                .unwrap();
        assert_eq!(fetched.docs[0].attachment, out.attachment);
        assert_eq!(fetched.docs[0].body, json!({"type": "file", "length": 3}));
        let stub = json!({"results": [{"id": "file:ab", "docs": [{"ok": {"_id": "file:ab", "_rev": "1-aa",
            "_attachments": {"scan": {"stub": true}}}}]}]});
        assert!(
            parse_bulk_get(&stub)
                .unwrap_err()
                .to_string()
                .contains("without its bytes")
        );
    }

    #[test]
    fn a_checkpoint_is_used_only_when_both_sides_agree() {
        let here = Checkpoint { seq: json!("9-x") };
        assert_eq!(
            Checkpoint::resume(Some(&here), Some(&json!({"last_seq": "9-x"}))),
            json!("9-x")
        );
        assert_eq!(
            Checkpoint::resume(Some(&here), Some(&json!({"last_seq": "4-y"}))),
            json!(0)
        );
        assert_eq!(Checkpoint::resume(Some(&here), None), json!(0));
        assert_eq!(
            Checkpoint::resume(None, Some(&json!({"last_seq": "9-x"}))),
            json!(0)
        );
        assert_eq!(here.server_doc(Some("0-3"))["_rev"], json!("0-3"));
    }

    #[test]
    fn each_workspace_server_and_database_is_its_own_replication() {
        let a = replication_id("WS1", "/couch", "team");
        assert_eq!(a, replication_id("WS1", "/couch", "team"));
        assert_ne!(a, replication_id("WS2", "/couch", "team"));
        assert_ne!(a, replication_id("WS1", "/couch", "legal"));
        assert_eq!(a.len(), 32);
    }
}
