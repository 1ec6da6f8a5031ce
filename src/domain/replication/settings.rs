//! Where a team's workspace lives: the CouchDB server (a path on the app's own origin) and the
//! database, with the user who signs in. Checked here, so the settings page and the engine agree
//! on what is acceptable; the password is not part of it (it goes to `/_session` and nowhere
//! else).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A team workspace's place, as the settings page keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// The server's path on this origin, without a trailing `/` (`/couch`).
    pub server: String,
    /// The workspace database.
    pub database: String,
    /// Who signs in.
    pub user: String,
}

/// A setting that cannot be used, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// `server`, `database` or `user`.
    pub field: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SettingsError {}

fn refuse(field: &'static str, message: impl Into<String>) -> SettingsError {
    SettingsError {
        field,
        message: message.into(),
    }
}

impl SyncSettings {
    /// The settings as typed, checked. The server must be a path on this site: the app's
    /// Content-Security-Policy lets it reach no other origin, and the documented deployment
    /// serves CouchDB behind the same origin (README, "Team sync").
    pub fn parse(server: &str, database: &str, user: &str) -> Result<SyncSettings, SettingsError> {
        let server = server.trim().trim_end_matches('/');
        if server.is_empty()
            || !server.starts_with('/')
            || server.starts_with("//")
            || server
                .chars()
                .any(|c| c.is_whitespace() || c == '?' || c == '#')
        {
            return Err(refuse(
                "server",
                "Give the server as a path on this site, such as /couch: regdesk reaches no other \
                 address, so CouchDB is served from the same origin (see the README, “Team sync”).",
            ));
        }
        let database = database.trim();
        // CouchDB's own rule for database names.
        let mut chars = database.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        if !first_ok
            || database.len() > 238
            || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c))
        {
            return Err(refuse(
                "database",
                "A database name starts with a lowercase letter and has only lowercase letters, \
                 digits and _ $ ( ) + - / (CouchDB's rule), at most 238 characters.",
            ));
        }
        let user = user.trim();
        if user.is_empty() || user.contains(':') || user.chars().any(char::is_control) {
            return Err(refuse(
                "user",
                "Give your CouchDB user name (it cannot contain “:”).",
            ));
        }
        Ok(SyncSettings {
            server: server.to_string(),
            database: database.to_string(),
            user: user.to_string(),
        })
    }

    /// The database's address on this origin (`/` in a name is written `%2F`, as CouchDB asks).
    pub fn database_url(&self) -> String {
        format!("{}/{}", self.server, self.database.replace('/', "%2F"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_on_this_site_a_couchdb_name_and_a_user_are_accepted() {
        let s = SyncSettings::parse(" /couch/ ", "team-eu", " ana ").unwrap();
        assert_eq!(s.server, "/couch");
        assert_eq!(s.user, "ana");
        assert_eq!(s.database_url(), "/couch/team-eu");
        assert_eq!(
            SyncSettings::parse("/couch", "acme/legal", "ana")
                .unwrap()
                .database_url(),
            "/couch/acme%2Flegal"
        );
    }

    #[test]
    fn another_origin_a_bad_name_or_no_user_is_refused_with_its_field() {
        for server in [
            "https://couch.example.com",
            "//evil.example",
            "couch",
            "",
            "/couch?x",
        ] {
            assert_eq!(
                SyncSettings::parse(server, "team", "ana")
                    .unwrap_err()
                    .field,
                "server",
                "{server}"
            );
        }
        for db in ["Team", "1team", "", "team space", "_users"] {
            assert_eq!(
                SyncSettings::parse("/couch", db, "ana").unwrap_err().field,
                "database",
                "{db}"
            );
        }
        for user in ["", "  ", "a:b"] {
            assert_eq!(
                SyncSettings::parse("/couch", "team", user)
                    .unwrap_err()
                    .field,
                "user",
                "{user:?}"
            );
        }
    }
}
