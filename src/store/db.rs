//! Opening the database, and the handle every repository works through.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};

use super::error::StoreError;
use super::schema;

/// The app's database name; tests use their own names so they never share data.
pub const DEFAULT_NAME: &str = "regdesk";

/// An open connection to one regdesk database.
#[derive(Clone, Debug)]
pub struct Db {
    inner: Database,
}

impl Db {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Db, StoreError> {
        let blocked = std::rc::Rc::new(std::cell::Cell::new(false));
        let flag = blocked.clone();
        let opened = Database::open(name)
            .with_version(schema::VERSION)
            .with_on_blocked(move |_| {
                flag.set(true);
                Ok(())
            })
            .with_on_upgrade_needed(|event, db| schema::upgrade(&db, event.old_version() as u32))
            .await;
        match opened {
            Ok(inner) => Ok(Db { inner }),
            Err(_) if blocked.get() => Err(StoreError::Blocked),
            Err(e) => Err(e.into()),
        }
    }

    /// The database's name.
    pub fn name(&self) -> String {
        self.inner.name()
    }

    /// Closes the connection, as a tab does before another tab may upgrade the schema.
    pub fn close(self) {
        self.inner.close();
    }

    /// Deletes the database called `name` with all its data.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }

    /// A transaction over `stores`, read-only or read-write.
    pub(crate) fn tx(&self, stores: &[&str], write: bool) -> Result<Transaction<'_>, StoreError> {
        let mode = if write {
            TransactionMode::Readwrite
        } else {
            TransactionMode::Readonly
        };
        Ok(self.inner.transaction(stores).with_mode(mode).build()?)
    }
}
