//! What can go wrong when reading or writing the browser's database, said so a person can act.

use std::fmt;

use indexed_db_futures::error::{DomException, Error, OpenDbError};

/// A failed store operation. Its message is meant for the person at the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Another tab holds the database open at an older version.
    Blocked,
    /// The browser refused to store more data.
    QuotaExceeded,
    /// Another tab upgraded the database; this tab must reload.
    VersionChanged,
    /// This browser has no IndexedDB (private mode in some browsers, or disabled storage).
    Unavailable,
    /// A record that must exist does not.
    NotFound(String),
    /// The action conflicts with what is stored (a SID already in use, a record in use).
    Conflict(String),
    /// A record could not be encoded or decoded.
    Codec(String),
    /// Any other database failure, with the browser's words.
    Database(String),
    /// A domain rule refused the action (an address in use, a document under review); nothing was
    /// written.
    Refused(crate::domain::rules::problem::Problem),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Blocked => f.write_str(
                "regdesk is open in another tab with an older version. Close the other tabs, then reload.",
            ),
            StoreError::QuotaExceeded => f.write_str(
                "The browser has no room left for regdesk's data. Free some space (or remove large scans) and try again. Nothing was saved.",
            ),
            StoreError::VersionChanged => f.write_str(
                "regdesk was updated in another tab. Reload this tab to continue; nothing was lost.",
            ),
            StoreError::Unavailable => f.write_str(
                "This browser does not allow regdesk to store data (IndexedDB is unavailable). Leave private browsing or allow site data.",
            ),
            StoreError::NotFound(what) => write!(f, "{what} was not found."),
            StoreError::Conflict(why) => f.write_str(why),
            StoreError::Codec(why) => write!(f, "A record could not be read or written: {why}"),
            StoreError::Database(why) => write!(f, "The browser's database failed: {why}"),
            StoreError::Refused(problem) => write!(f, "{} ({}): {}", problem.title(), problem.code, problem.message),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match &e {
            Error::DomException(DomException::Other(ex)) if ex.name() == "QuotaExceededError" => {
                StoreError::QuotaExceeded
            }
            Error::DomException(DomException::ConstraintError(ex)) => StoreError::Conflict(
                format!("A record with this key already exists ({}).", ex.message()),
            ),
            Error::Serialisation(_) => StoreError::Codec(e.to_string()),
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<OpenDbError> for StoreError {
    fn from(e: OpenDbError) -> Self {
        match e {
            OpenDbError::UnsupportedEnvironment | OpenDbError::NullFactory => {
                StoreError::Unavailable
            }
            OpenDbError::Base(inner) => inner.into(),
            other => StoreError::Database(other.to_string()),
        }
    }
}
