//! Applications, as far as the account API needs them: list, create and delete one's own.
//! Deployment is not this project's business; an application here is a name and an owner,
//! which is what account deletion checks.

use super::actor;
use super::ServerHost;
use crate::db::apps::{self, ChangedBy, CreateAppError, StoredApp, Which};
use crate::db::now;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;

pub const MAX_APPS: i64 = 100;

/// Scalingo's naming rule: a DNS label, so the name can become a host name.
pub fn valid_app_name(name: &str) -> bool {
    let length_ok = (3..=48).contains(&name.len());
    let chars_ok = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let starts_ok = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    length_ok && chars_ok && starts_ok && !name.ends_with('-')
}

impl ServerHost {
    pub async fn apps(&self, caller: &Caller) -> Result<Vec<StoredApp>, AppError> {
        let mut conn = self.db.pool.acquire().await.map_err(self.db_error(caller))?;
        apps::owned_by(&mut conn, &caller.user_id)
            .await
            .map_err(self.db_error(caller))
    }

    pub async fn create_app(&self, caller: &Caller, name: &str) -> Result<StoredApp, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", Key::ErrRequired));
        }
        if !valid_app_name(name) {
            return Err(AppError::invalid("name", Key::ErrAppNameInvalid));
        }
        let created = apps::create(
            &self.db,
            &caller.user_id,
            name,
            MAX_APPS,
            &actor(caller),
            ChangedBy::Owner,
            now(),
        )
        .await;
        match created {
            Ok(app) => Ok(app),
            Err(CreateAppError::NameTaken(_)) => Err(AppError::invalid("name", Key::ErrAppNameTaken)),
            Err(CreateAppError::TooMany) => Err(AppError::invalid("name", Key::ErrTooManyApps)),
            Err(CreateAppError::Db(e)) => Err(self.db_error(caller)(e)),
        }
    }

    /// Another account's application is `NotFound`, like an unknown one. `current_name`, when
    /// sent, must be the application's name (clients send it to guard against a wrong id).
    pub async fn delete_app(
        &self,
        caller: &Caller,
        id_or_name: &str,
        current_name: Option<&str>,
    ) -> Result<(), AppError> {
        let app = apps::find_owned(&self.db, &caller.user_id, id_or_name)
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)?;
        if current_name.is_some_and(|given| given.trim() != app.name) {
            return Err(AppError::invalid("current_name", Key::ErrAppNameMismatch));
        }
        let which = Which::OwnedId {
            owner_id: &caller.user_id,
            id: &app.id,
        };
        apps::delete(&self.db, which, &actor(caller), ChangedBy::Owner)
            .await
            .map_err(self.db_error(caller))?
            .map(|_| ())
            .ok_or(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_app_name;

    #[test]
    fn app_names_are_dns_labels() {
        for good in ["abc", "my-app-2", "a".repeat(48).as_str()] {
            assert!(valid_app_name(good), "{good}");
        }
        for bad in [
            "ab",
            "My-app",
            "2app",
            "app-",
            "my_app",
            "my app",
            "é-app",
            &"a".repeat(49),
        ] {
            assert!(!valid_app_name(bad), "{bad}");
        }
    }
}
