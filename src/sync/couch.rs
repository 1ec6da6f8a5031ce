//! CouchDB's HTTP API as the sync needs it, through the browser's `fetch` (gloo-net): the
//! session, the database, `_local` checkpoints, `_changes`, `_bulk_get`, `_revs_diff` and
//! `_bulk_docs`. Every request goes to a path on the app's own origin (the settings allow
//! nothing else), so the session cookie travels and the CSP stays `connect-src 'self'`. Answers
//! are JSON values; their shapes are read by `domain::replication::wire`.

use std::fmt;

use gloo_net::http::{Request, RequestBuilder};
use serde_json::{Value, json};
use web_sys::AbortSignal;

use crate::domain::replication::settings::SyncSettings;
use crate::domain::replication::wire::WireError;
use crate::store::StoreError;

/// Why a sync step failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// The browser has no network, or the server cannot be reached.
    Offline,
    /// No session (never signed in, or it ended).
    SignedOut,
    /// Signed in, but not a member of the database.
    NotMember(String),
    /// The server answered something else, said here.
    Server(String),
    /// This browser's database failed.
    Store(String),
    /// The request was called off (the sync was stopped or woken).
    Aborted,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Offline => f.write_str("the server cannot be reached"),
            SyncError::SignedOut => f.write_str("you are signed out"),
            SyncError::NotMember(db) => write!(
                f,
                "you are not a member of the workspace “{db}” (ask its admin to add you)"
            ),
            SyncError::Server(why) => write!(f, "the server answered: {why}"),
            SyncError::Store(why) => f.write_str(why),
            SyncError::Aborted => f.write_str("stopped"),
        }
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e.to_string())
    }
}

impl From<WireError> for SyncError {
    fn from(e: WireError) -> Self {
        SyncError::Server(e.to_string())
    }
}

/// Whether the browser says it is offline.
pub fn browser_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// One team workspace's server and database.
#[derive(Debug, Clone)]
pub struct Couch {
    settings: SyncSettings,
}

impl Couch {
    /// The server and database of `settings`.
    pub fn new(settings: SyncSettings) -> Couch {
        Couch { settings }
    }

    /// The settings it talks to.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    fn db(&self, path: &str) -> String {
        format!("{}{path}", self.settings.database_url())
    }

    /// Sends a request with an optional JSON body and reads the JSON answer; a status outside
    /// 2xx becomes the [`SyncError`] that says what it means.
    async fn send(
        &self,
        builder: RequestBuilder,
        body: Option<&Value>,
        abort: Option<&AbortSignal>,
    ) -> Result<Value, SyncError> {
        let builder = builder
            .abort_signal(abort)
            .header("Accept", "application/json");
        let request = match body {
            Some(b) => builder
                .header("Content-Type", "application/json")
                .body(b.to_string()),
            None => builder.build(),
        }
        .map_err(|e| SyncError::Server(e.to_string()))?;
        let response = match request.send().await {
            Ok(r) => r,
            Err(_) if abort.is_some_and(AbortSignal::aborted) => return Err(SyncError::Aborted),
            Err(_) => return Err(SyncError::Offline),
        };
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        match status {
            200..=299 => Ok(answer),
            401 => Err(SyncError::SignedOut),
            403 => Err(SyncError::NotMember(self.settings.database.clone())),
            // A proxy with nothing behind it.
            502..=504 => Err(SyncError::Offline),
            _ => {
                let reason = answer
                    .get("reason")
                    .and_then(Value::as_str)
                    .or_else(|| answer.get("error").and_then(Value::as_str))
                    .unwrap_or("no reason given");
                Err(SyncError::Server(format!("{status}, {reason}")))
            }
        }
    }

    /// Who is signed in, if anyone.
    pub async fn session(&self) -> Result<Option<String>, SyncError> {
        let url = format!("{}/_session", self.settings.server);
        let answer = self.send(Request::get(&url), None, None).await?;
        Ok(answer
            .pointer("/userCtx/name")
            .and_then(Value::as_str)
            .map(str::to_string))
    }

    /// Signs in with CouchDB's cookie session; the password goes in this request only.
    pub async fn sign_in(&self, password: &str) -> Result<(), SyncError> {
        let url = format!("{}/_session", self.settings.server);
        let body = json!({ "name": self.settings.user, "password": password });
        match self.send(Request::post(&url), Some(&body), None).await {
            Err(SyncError::SignedOut) => Err(SyncError::Server(
                "the user name or password is wrong".into(),
            )),
            other => other.map(|_| ()),
        }
    }

    /// Ends the session.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        let url = format!("{}/_session", self.settings.server);
        self.send(Request::delete(&url), None, None)
            .await
            .map(|_| ())
    }

    /// The database's information (`GET /db`): whether it exists and this user may read it.
    /// Asked right after signing in, so a refusal means the user is not a member (CouchDB
    /// answers a signed-in non-member 403; the test peer 401).
    pub async fn database(&self) -> Result<Value, SyncError> {
        match self.send(Request::get(&self.db("")), None, None).await {
            Err(SyncError::SignedOut) => Err(SyncError::NotMember(self.settings.database.clone())),
            Err(SyncError::Server(why)) if why.starts_with("404") => {
                Err(SyncError::Server(format!(
                    "there is no database “{}” on the server",
                    self.settings.database
                )))
            }
            other => other,
        }
    }

    /// A `_local` document, or `None` when there is none.
    pub async fn get_local(&self, id: &str) -> Result<Option<Value>, SyncError> {
        match self
            .send(Request::get(&self.db(&format!("/_local/{id}"))), None, None)
            .await
        {
            Ok(doc) => Ok(Some(doc)),
            Err(SyncError::Server(why)) if why.starts_with("404") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes a `_local` document; its new revision.
    pub async fn put_local(&self, id: &str, doc: &Value) -> Result<Option<String>, SyncError> {
        let answer = self
            .send(
                Request::put(&self.db(&format!("/_local/{id}"))),
                Some(doc),
                None,
            )
            .await?;
        Ok(answer
            .get("rev")
            .and_then(Value::as_str)
            .map(str::to_string))
    }

    /// A page of `_changes` after `since`: at most `limit`; with `live`, a longpoll that waits
    /// for the next change (the server keeps the line open with heartbeats) until aborted.
    pub async fn changes(
        &self,
        since: &Value,
        limit: usize,
        live: Option<&AbortSignal>,
    ) -> Result<Value, SyncError> {
        let since = match since {
            Value::String(s) => String::from(js_sys::encode_uri_component(s)),
            other => other.to_string(),
        };
        let mut url = self.db(&format!(
            "/_changes?style=all_docs&since={since}&limit={limit}"
        ));
        if live.is_some() {
            url.push_str("&feed=longpoll&heartbeat=10000&timeout=60000");
        }
        self.send(Request::get(&url), None, live).await
    }

    /// `_bulk_get` with each revision's history and attachments inline, newest leaf of each
    /// branch.
    pub async fn bulk_get(&self, body: &Value) -> Result<Value, SyncError> {
        let url = self.db("/_bulk_get?revs=true&latest=true&attachments=true");
        self.send(Request::post(&url), Some(body), None).await
    }

    /// `_revs_diff`.
    pub async fn revs_diff(&self, body: &Value) -> Result<Value, SyncError> {
        self.send(Request::post(&self.db("/_revs_diff")), Some(body), None)
            .await
    }

    /// `_bulk_docs`.
    pub async fn bulk_docs(&self, body: &Value) -> Result<Value, SyncError> {
        self.send(Request::post(&self.db("/_bulk_docs")), Some(body), None)
            .await
    }
}
