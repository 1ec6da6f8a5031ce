//! What the header says about a team workspace's sync, in words: one place, so every page says
//! the same thing the same way.

/// The sync's state as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    /// This workspace is not shared.
    Off,
    /// Shared, but nobody is signed in (or the session ended).
    SignedOut,
    /// Reaching the server.
    Connecting,
    /// Everything here is on the server and everything there is here.
    UpToDate,
    /// Sending this many changes.
    Sending(usize),
    /// Receiving this many changes.
    Receiving(usize),
    /// The browser has no network; changes wait here.
    Offline,
    /// The server refused or failed, in words; the sync tries again.
    Failed(String),
}

impl SyncState {
    /// The state in words.
    pub fn words(&self) -> String {
        let changes = |n: usize| {
            if n == 1 {
                "1 change".to_string()
            } else {
                format!("{n} changes")
            }
        };
        match self {
            SyncState::Off => "Not shared".into(),
            SyncState::SignedOut => "Signed out of the team workspace".into(),
            SyncState::Connecting => "Connecting…".into(),
            SyncState::UpToDate => "Up to date".into(),
            SyncState::Sending(n) => format!("Sending {}…", changes(*n)),
            SyncState::Receiving(n) => format!("Receiving {}…", changes(*n)),
            SyncState::Offline => "Offline: changes are kept here".into(),
            SyncState::Failed(why) => format!("Sync stopped: {why}"),
        }
    }

    /// `ok`, `busy`, `warn` or `error`, for its colour.
    pub fn tone(&self) -> &'static str {
        match self {
            SyncState::Off | SyncState::UpToDate => "ok",
            SyncState::Connecting | SyncState::Sending(_) | SyncState::Receiving(_) => "busy",
            SyncState::SignedOut | SyncState::Offline => "warn",
            SyncState::Failed(_) => "error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_says_what_it_is() {
        assert_eq!(SyncState::Sending(1).words(), "Sending 1 change…");
        assert_eq!(SyncState::Receiving(500).words(), "Receiving 500 changes…");
        assert_eq!(
            SyncState::Failed("the server refused: you are not a member of team".into()).words(),
            "Sync stopped: the server refused: you are not a member of team"
        );
        assert_eq!(SyncState::Offline.tone(), "warn");
        assert_eq!(SyncState::UpToDate.tone(), "ok");
    }
}
